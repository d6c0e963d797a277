package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQLite specifics of compaction beyond the LogAPI contract: the discarded rows are deleted a bounded batch per call,
 * interleaved with appends, and survive a restart as harmless garbage; installing a leader's snapshot; space given
 * back on new files and reused on files created before incremental vacuum.
 */
class SqliteLogCompactionTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLogCompactionTest.class);

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("node.db");
    }

    private static byte[] payload(long index, int size) {
        byte[] bytes = new byte[size];
        new Random(index).nextBytes(bytes);
        return bytes;
    }

    private static List<LogEntry> entries(long from, int count, long term, int payloadBytes) {
        List<LogEntry> out = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            out.add(new LogEntry(i, term, EntryType.COMMAND, payload(i, payloadBytes)));
        }
        return out;
    }

    private static void appendInBatches(SqliteLog log, long through, long term, int payloadBytes) {
        while (log.lastIndex() < through) {
            int count = (int) Math.min(1000, through - log.lastIndex());
            log.append(entries(log.lastIndex() + 1, count, term, payloadBytes));
        }
    }

    /** Every entry above the prefix is there, in order, with its payload; nothing below it is visible. */
    private static void assertConsistent(SqliteLog log, SnapshotMeta prefix, long lastIndex) {
        assertEquals(prefix, log.snapshotMeta());
        assertEquals(prefix.index() + 1, log.firstIndex());
        assertEquals(lastIndex, log.lastIndex());
        assertEquals(prefix.term(), log.termAt(prefix.index()));
        if (prefix.index() > 0) {
            assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(prefix.index() - 1));
            assertThrows(IndexOutOfBoundsException.class, () -> log.read(prefix.index(), lastIndex + 1, 1));
        }
        long next = log.firstIndex();
        while (next <= lastIndex) {
            List<LogEntry> chunk = log.read(next, lastIndex + 1, 1 << 20);
            for (LogEntry e : chunk) {
                assertEquals(next, e.index());
                assertArrayEquals(payload(next, e.payload().length), e.payload(), "payload of " + next);
                next++;
            }
        }
    }

    @Test
    void aLargeCompactionInterleavedWithAppendsKeepsEveryEntryAboveThePrefixAndSpreadsItsWork() {
        int total = 40_000;
        long through = 39_000;
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, total, 1, 200);
            long[] plain = new long[20];
            for (int i = 0; i < plain.length; i++) {
                long t0 = System.nanoTime();
                log.append(entries(log.lastIndex() + 1, 1, 1, 200));
                plain[i] = System.nanoTime() - t0;
            }
            long t0 = System.nanoTime();
            log.compactPrefix(through, 1);
            long compactNanos = System.nanoTime() - t0;
            assertTrue(log.garbageEntries() > 0, "a large compaction leaves garbage for later appends");
            List<Long> interleaved = new ArrayList<>();
            int appends = 0;
            while (log.garbageEntries() > 0) {
                long s = System.nanoTime();
                log.append(entries(log.lastIndex() + 1, 1, 1, 200));
                interleaved.add(System.nanoTime() - s);
                appends++;
                if (appends % 7 == 0) {
                    assertConsistent(log, new SnapshotMeta(through, 1), log.lastIndex());
                }
                assertTrue(appends < 1_000, "garbage is not going away: " + log.garbageEntries());
            }
            assertConsistent(log, new SnapshotMeta(through, 1), total + plain.length + appends);
            Arrays.sort(plain);
            long worst = interleaved.stream().mapToLong(Long::longValue).max().orElse(0);
            long median = interleaved.stream().sorted().toList().get(interleaved.size() / 2);
            LOG.info("compacting {} of {} entries: compactPrefix {} ms, then {} appends carried the garbage away"
                    + " (median {} ms, worst {} ms); plain appends before: median {} ms, worst {} ms",
                    through, total, ms(compactNanos), appends, ms(median), ms(worst), ms(plain[plain.length / 2]),
                    ms(plain[plain.length - 1]));
        }
        // the same compaction in one transaction, for comparison (what a call would cost without batches)
        Path other = dir.resolve("one-shot.db");
        try (SqliteLog log = SqliteLog.open(other, "c", "n")) {
            appendInBatches(log, total, 1, 200);
            log.garbageBatchEntries(Integer.MAX_VALUE);
            long t0 = System.nanoTime();
            log.compactPrefix(through, 1);
            LOG.info("the same compaction as one transaction: {} ms", ms(System.nanoTime() - t0));
            assertEquals(0, log.garbageEntries());
        }
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    @Test
    void garbageLeftByACompactionSurvivesARestartUnreadAndIsCollectedLater() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 100, 1, 50);
            log.garbageBatchEntries(10);
            log.compactPrefix(60, 1);
            assertEquals(50, log.garbageEntries());
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) { // as after a crash in the middle of the collection
            assertEquals(50, log.garbageEntries());
            assertConsistent(log, new SnapshotMeta(60, 1), 100);
            log.garbageBatchEntries(10);
            log.compactPrefix(80, 1); // compacting again while garbage remains
            assertConsistent(log, new SnapshotMeta(80, 1), 100);
            assertEquals(60, log.garbageEntries());
            for (int i = 0; i < 6; i++) {
                log.append(entries(log.lastIndex() + 1, 1, 2, 50));
            }
            assertEquals(0, log.garbageEntries());
            assertConsistent(log, new SnapshotMeta(80, 1), 106);
            assertEquals(2, log.termAt(106));
        }
        SqliteLogDescription d = SqliteLogInspector.describe(db(), 3);
        assertEquals(80, d.snapshotIndex());
        assertEquals(81, d.firstIndex());
        assertEquals(106, d.lastIndex());
        assertEquals(0, d.space().garbageEntries());
        assertTrue(d.space().incrementalVacuum());
    }

    @Test
    void aLogWhoseOnlyRowsAreGarbageRestartsEmptyAfterItsPrefix() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 50, 1, 50);
            log.garbageBatchEntries(5);
            log.compactPrefix(50, 1);
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(45, log.garbageEntries());
            assertConsistent(log, new SnapshotMeta(50, 1), 50);
            assertEquals(List.of(), log.read(51, 51, 10));
        }
        SqliteLogDescription d = SqliteLogInspector.describe(db(), 5);
        assertEquals(50, d.lastIndex(), "the inspector does not take garbage rows for entries");
        assertEquals(List.of(), d.lastEntries());
        assertEquals(45, d.space().garbageEntries());
    }

    @Test
    void installingALeadersSnapshotKeepsAMatchingSuffixAndDropsAConflictingOne() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 10, 1, 20);
            log.append(entries(11, 10, 2, 20));
            log.installSnapshot(new SnapshotMeta(12, 2)); // the log holds (12, 2): keep 13..20
            assertConsistent(log, new SnapshotMeta(12, 2), 20);
            log.installSnapshot(new SnapshotMeta(15, 3)); // conflicts with (15, 2): nothing after it survives
            assertConsistent(log, new SnapshotMeta(15, 3), 15);
            log.installSnapshot(new SnapshotMeta(14, 3)); // older: no-op
            assertConsistent(log, new SnapshotMeta(15, 3), 15);
            log.append(entries(16, 2, 3, 20));
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertConsistent(log, new SnapshotMeta(15, 3), 17);
            assertEquals(3, log.termAt(16));
            log.garbageBatchEntries(1);
            log.installSnapshot(new SnapshotMeta(40, 4)); // past the end
            assertConsistent(log, new SnapshotMeta(40, 4), 40);
            assertEquals(1, log.garbageEntries(), "the rows 16..17 minus the one batch are garbage");
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertConsistent(log, new SnapshotMeta(40, 4), 40);
            log.append(entries(41, 1, 4, 20));
            assertEquals(0, log.garbageEntries());
            assertConsistent(log, new SnapshotMeta(40, 4), 41);
        }
    }

    @Test
    void compactionIsRefusedBeyondTheLogOrWithTheWrongTermAndChangesNothing() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 10, 1, 20);
            assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(11, 1));
            assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(5, 2));
            assertConsistent(log, SnapshotMeta.NONE, 10);
        }
    }

    @Test
    void aNewFileGivesFreedPagesBackToTheFileSystem() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 300, 1, 16_000); // about 1200 pages: more than a few transactions give back
            long before = log.pageCount();
            log.compactPrefix(300, 1);
            int appends = 0;
            while (log.garbageEntries() > 0) {
                log.append(entries(log.lastIndex() + 1, 1, 1, 10));
                appends++;
            }
            long afterGarbage = log.pageCount();
            for (int i = 0; i < 6; i++) { // giving back goes on after the garbage is gone, a bounded amount a call
                log.append(entries(log.lastIndex() + 1, 1, 1, 10));
            }
            long after = log.pageCount();
            LOG.info("300 entries of 16 KB compacted: {} pages before, {} once {} appends deleted the garbage, {} six"
                    + " appends later, {} free", before, afterGarbage, appends, after, log.freePages());
            assertTrue(afterGarbage < before, "pages before " + before + ", after the garbage " + afterGarbage);
            assertTrue(after < before / 3, "pages before " + before + ", after " + after);
            assertTrue(log.freePages() <= 256, "free pages beyond the slack: " + log.freePages());
        }
    }

    /**
     * A file created before incremental vacuum (schema version 1, auto_vacuum NONE) is migrated to the latest on open,
     * compacts like any other, and reuses the pages compaction frees for later appends instead of growing.
     */
    @Test
    void aVersionOneFileIsMigratedAndReusesFreedPages() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE raft_meta (id INTEGER PRIMARY KEY CHECK (id = 1), cluster_id TEXT NOT NULL,"
                    + " node_id TEXT NOT NULL, current_term INTEGER NOT NULL DEFAULT 0, voted_for TEXT,"
                    + " snapshot_index INTEGER NOT NULL DEFAULT 0, snapshot_term INTEGER NOT NULL DEFAULT 0,"
                    + " last_applied INTEGER NOT NULL DEFAULT 0)");
            s.execute("CREATE TABLE raft_entries (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL,"
                    + " type TEXT NOT NULL, payload BLOB NOT NULL)");
            s.execute("CREATE TABLE raft_membership (node_id TEXT PRIMARY KEY, role TEXT NOT NULL"
                    + " CHECK (role IN ('VOTER', 'LEARNER')))");
            s.execute("INSERT INTO raft_meta (id, cluster_id, node_id, current_term) VALUES (1, 'c', 'n', 3)");
            s.execute("PRAGMA user_version = 1");
        }
        assertThrows(SqliteLogOwnershipException.class, () -> SqliteLog.open(db(), "c", "other"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
            assertEquals(1, Schema.version(c), "a refused open migrates nothing (one transaction)");
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(3, log.loadHardState().term());
            appendInBatches(log, 2_000, 1, 1_000);
            log.compactPrefix(2_000, 1);
            while (log.garbageEntries() > 0) {
                log.append(entries(log.lastIndex() + 1, 1, 1, 10));
            }
            long pages = log.pageCount();
            long free = log.freePages();
            appendInBatches(log, 3_000, 1, 1_000);
            LOG.info("version-1 file: {} pages ({} free) after compacting 2000 entries of 1 KB; {} pages after"
                    + " appending ~1000 more", pages, free, log.pageCount());
            assertTrue(free > 0, "compaction freed no page");
            assertTrue(log.pageCount() < pages + free / 2, "appends did not reuse the free pages");
        }
        SqliteLogDescription d = SqliteLogInspector.describe(db(), 0);
        assertEquals(Schema.LATEST, d.schemaVersion());
        assertFalse(d.space().incrementalVacuum());
    }

    @Test
    void aNewFileIsCreatedWithIncrementalAutoVacuum() throws SQLException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            appendInBatches(log, 5, 1, 10);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA auto_vacuum")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1), "2 = INCREMENTAL on a new file");
        }
    }
}
