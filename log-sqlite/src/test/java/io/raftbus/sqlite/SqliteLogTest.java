package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite specifics beyond the LogAPI contract: settings, schema, compacting a prefix (more in
 * {@link SqliteLogCompactionTest}),
 * fail-stop on a damaged page.
 */
class SqliteLogTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("node.db");
    }

    private static String pragma(SqliteLog log, String name) throws SQLException {
        try (Statement s = log.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<LogEntry> batch(long from, int count) {
        List<LogEntry> out = new ArrayList<>();
        Random random = new Random(from);
        for (long i = from; i < from + count; i++) {
            byte[] payload = new byte[100];
            random.nextBytes(payload);
            out.add(new LogEntry(i, 1, EntryType.COMMAND, payload));
        }
        return out;
    }

    @Test
    void aNewLogIsDurableByDefault() throws SQLException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals("wal", pragma(log, "journal_mode"));
            assertEquals("2", pragma(log, "synchronous"), "2 = FULL");
            assertEquals(String.valueOf(Schema.LATEST), pragma(log, "user_version"));
            assertEquals(db().toAbsolutePath(), log.file());
            assertTrue(log.isDurable());
        }
        assertTrue(Files.exists(dir.resolve("node.db.lock")));
    }

    @Test
    void durabilityCanBeRelaxedExplicitly() throws SQLException {
        SqliteLogOptions relaxed = SqliteLogOptions.defaults()
                .withDurability(Durability.NORMAL_UNSAFE_ON_POWER_LOSS);
        try (SqliteLog log = SqliteLog.open(db(), "c", "n", relaxed)) {
            assertEquals("1", pragma(log, "synchronous"), "1 = NORMAL");
            assertFalse(log.isDurable());
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n",
                SqliteLogOptions.defaults().withDurability(Durability.OFF_UNSAFE))) {
            assertEquals("0", pragma(log, "synchronous"), "0 = OFF");
            assertFalse(log.isDurable());
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n",
                SqliteLogOptions.defaults().withDurability(Durability.EXTRA))) {
            assertEquals("3", pragma(log, "synchronous"), "3 = EXTRA");
            assertTrue(log.isDurable());
        }
    }

    @Test
    void anEmptyExistingFileBecomesANewLog() throws IOException {
        Files.createFile(db());
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 3));
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(3, log.lastIndex());
        }
    }

    @Test
    void discardingAPrefixForASnapshotDropsItAndSurvivesARestart() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 10));
            log.compactPrefix(4, 1);
            assertEquals(new SnapshotMeta(4, 1), log.snapshotMeta());
            assertEquals(5, log.firstIndex());
            assertEquals(1, log.termAt(4));
            assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(3));
            assertThrows(IndexOutOfBoundsException.class, () -> log.read(4, 6, Long.MAX_VALUE));
            assertEquals(batch(1, 10).subList(4, 10), log.read(5, 11, Long.MAX_VALUE));
            assertThrows(IndexOutOfBoundsException.class, () -> log.truncateSuffix(4));
            assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(6, 2), "wrong term");
            log.compactPrefix(3, 1); // covered already: no-op
            assertEquals(5, log.firstIndex());
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(new SnapshotMeta(4, 1), log.snapshotMeta());
            assertEquals(5, log.firstIndex());
            assertEquals(10, log.lastIndex());
            log.truncateSuffix(5);
            assertEquals(4, log.lastIndex());
            assertEquals(1, log.termAt(4));
            log.installSnapshot(new SnapshotMeta(20, 3)); // a snapshot from the leader, past the end of the log
            assertEquals(21, log.firstIndex());
            assertEquals(20, log.lastIndex());
            assertEquals(3, log.termAt(20));
            log.append(List.of(new LogEntry(21, 3, EntryType.NOOP, new byte[0])));
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(21, log.firstIndex());
            assertEquals(21, log.lastIndex());
            assertEquals(3, log.termAt(20));
        }
    }

    @Test
    void aDamagedPageFoundWhileRunningStopsTheLog() throws IOException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 3000));
        }
        long size = Files.size(db());
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            file.seek(size / 2 / 4096 * 4096); // one whole page in the middle of the entries
            file.write(garbage);
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(3000, log.lastIndex(), "the first and last pages are intact");
            SqliteLogCorruptException found = assertThrows(SqliteLogCorruptException.class,
                    () -> log.read(1, 3001, Long.MAX_VALUE));
            assertTrue(found.isPermanent(), "a node stops on it");
            SqliteLogStorageException stopped = assertThrows(SqliteLogStorageException.class, log::lastIndex);
            assertTrue(stopped.getMessage().contains("restart the node"), stopped.getMessage());
            assertTrue(stopped.isPermanent(), "every later call says the log stopped for good");
        }
    }
}
