package io.raftbus.examples.kv;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
