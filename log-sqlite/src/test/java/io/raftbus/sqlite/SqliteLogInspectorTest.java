package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteLogInspectorTest {

    @TempDir
    Path dir;

    @Test
    void describesTheDurableStateAndTheLastEntriesWhileTheLogIsOpenAndWritable() {
        Path file = dir.resolve("n1.db");
        try (SqliteLog log = SqliteLog.open(file, "orders", "n1")) {
            log.saveHardState(new HardState(3, "n2"));
            log.append(entries(1, 5, 3));

            SqliteLogDescription d = SqliteLogInspector.describe(file, 2);

            assertEquals("orders", d.clusterId());
            assertEquals("n1", d.nodeId());
            assertEquals(3, d.currentTerm());
            assertEquals("n2", d.votedFor());
            assertEquals(1, d.firstIndex());
            assertEquals(5, d.lastIndex());
            assertEquals(3, d.lastTerm());
            assertEquals(5, d.entryCount());
            assertEquals(0, d.lastApplied());
            assertEquals(List.of(4L, 5L), d.lastEntries().stream().map(SqliteLogDescription.Entry::index).toList());
            assertArrayEquals("command 5".getBytes(StandardCharsets.UTF_8), d.lastEntries().get(1).payload());
            assertEquals(EntryType.COMMAND, d.lastEntries().get(1).type());

            // the inspector took no lock that stops the node from writing
            log.append(entries(6, 6, 3));
            log.saveHardState(new HardState(4, null));
            SqliteLogDescription after = SqliteLogInspector.describe(file, 10);
            assertEquals(6, after.lastIndex());
            assertEquals(4, after.currentTerm());
            assertNull(after.votedFor());
            assertEquals(6, after.lastEntries().size());
        }
    }

    @Test
    void anEmptyLogHasNoEntriesAndZeroEntriesListsNone() {
        Path file = dir.resolve("n2.db");
        SqliteLog.open(file, "orders", "n2").close();
        SqliteLogDescription d = SqliteLogInspector.describe(file, 0);
        assertEquals(0, d.lastIndex());
        assertEquals(1, d.firstIndex());
        assertEquals(0, d.entryCount());
        assertTrue(d.lastEntries().isEmpty());
    }

    @Test
    void aClosedLogIsReadWithoutWritingAnything() throws Exception {
        Path file = dir.resolve("n3.db");
        try (SqliteLog log = SqliteLog.open(file, "orders", "n3")) {
            log.append(entries(1, 3, 1));
        }
        byte[] before = Files.readAllBytes(file);
        SqliteLogDescription d = SqliteLogInspector.describe(file, 10);
        assertEquals(3, d.lastIndex());
        assertArrayEquals(before, Files.readAllBytes(file));
        // and a node can open it afterwards: nothing is left locked
        SqliteLog.open(file, "orders", "n3").close();
    }

    @Test
    void aMissingFileOrAForeignOneIsRefusedWithoutCreatingAnything() throws Exception {
        Path missing = dir.resolve("nope.db");
        assertThrows(SqliteLogStorageException.class, () -> SqliteLogInspector.describe(missing, 10));
        assertFalse(Files.exists(missing));
        Path text = Files.writeString(dir.resolve("text.db"), "hello, not a database");
        assertThrows(SqliteLogCorruptException.class, () -> SqliteLogInspector.describe(text, 10));
    }

    private static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(new LogEntry(i, term, EntryType.COMMAND, ("command " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return list;
    }
}
