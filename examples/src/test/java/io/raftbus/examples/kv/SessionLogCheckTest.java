package io.raftbus.examples.kv;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A log written without sessions is refused with a message naming the file; a session log or an empty one is not. */
class SessionLogCheckTest {

    private static final Path FILE = Path.of("data", "n1.db");

    @Test
    void aLogWhoseFirstCommandIsAPlainKvCommandIsRefused() {
        InMemoryLog log = new InMemoryLog();
        log.append(List.of(new LogEntry(1, 1, EntryType.NOOP, new byte[0]),
                new LogEntry(2, 1, EntryType.COMMAND, new KvCommand.Put("a", "1").encode())));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SessionLogCheck.requireSessionCommands(log, FILE));
        assertTrue(e.getMessage().contains(FILE.toString()) && e.getMessage().contains("without client sessions"),
                e.getMessage());
    }

    @Test
    void aNodeStartedOnALogWrittenWithoutSessionsRefusesToStartAndNamesTheFile(@TempDir Path dir) {
        Path file = dir.resolve("n1.db");
        LogAPI old = SqliteLog.open(file, "raftbus-kv", "n1");
        old.append(List.of(new LogEntry(1, 1, EntryType.NOOP, new byte[0]),
                new LogEntry(2, 1, EntryType.COMMAND, new KvCommand.Put("a", "1").encode())));
        old.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KvNode.start("n1",
                Set.of("n1", "n2", "n3"), "raftbus-kv", "127.0.0.1:1", file, RaftConfig.defaults(), false));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        LogAPI reopened = SqliteLog.open(file, "raftbus-kv", "n1"); // closed again: the node left no lock behind
        assertEquals(2, reopened.lastIndex());
        reopened.close();
    }

    @Test
    void aSessionLogAndAnEmptyLogPass() {
        InMemoryLog empty = new InMemoryLog();
        assertDoesNotThrow(() -> SessionLogCheck.requireSessionCommands(empty, FILE));
        InMemoryLog log = new InMemoryLog();
        log.append(List.of(new LogEntry(1, 1, EntryType.NOOP, new byte[0]),
                new LogEntry(2, 1, EntryType.COMMAND, SessionEnvelope.register().encode()),
                new LogEntry(3, 1, EntryType.COMMAND, SessionEnvelope.command(2, 1, 1,
                        new KvCommand.Put("a", "1").encode()).encode())));
        assertDoesNotThrow(() -> SessionLogCheck.requireSessionCommands(log, FILE));
    }
}
