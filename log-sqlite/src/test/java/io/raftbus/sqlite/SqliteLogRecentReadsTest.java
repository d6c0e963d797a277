package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads answered from the log's in-memory tail ({@link RecentEntries}) agree with the file: a seeded mix of appends
 * (small and larger than the tail's bounds), truncations, compactions and snapshot installs, each followed by reads
 * and term lookups compared with a query of the same connection.
 */
class SqliteLogRecentReadsTest {

    @TempDir
    Path dir;

    @Test
    void readsAndTermsMatchTheFileAfterEveryKindOfChange() throws SQLException {
        Random random = new Random(42);
        try (SqliteLog log = SqliteLog.open(dir.resolve("node.db"), "c", "n")) {
            long term = 1;
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(10);
                long last = log.lastIndex();
                if (op < 6 || last < log.firstIndex() + 2) {
                    int count = 1 + random.nextInt(op == 0 ? SqliteLog.RECENT_ENTRIES + 200 : 8);
                    List<LogEntry> batch = new ArrayList<>();
                    for (long i = last + 1; i <= last + count; i++) {
                        byte[] payload = new byte[random.nextInt(200)];
                        random.nextBytes(payload);
                        batch.add(new LogEntry(i, term, EntryType.COMMAND, payload));
                    }
                    log.append(batch);
                } else if (op < 8) {
                    long from = log.firstIndex() + 1 + random.nextInt((int) (last - log.firstIndex()));
                    log.truncateSuffix(from);
                    term++;
                } else if (op == 8) {
                    long through = log.firstIndex() + random.nextInt((int) (last - log.firstIndex()));
                    log.compactPrefix(through, log.termAt(through));
                } else {
                    long at = last + 1 + random.nextInt(5);
                    term++;
                    log.installSnapshot(new SnapshotMeta(at, term));
                }
                assertMatchesTheFile(log, random);
            }
        }
    }

    private static void assertMatchesTheFile(SqliteLog log, Random random) throws SQLException {
        long first = log.firstIndex();
        long last = log.lastIndex();
        if (last < first) {
            return;
        }
        for (int k = 0; k < 5; k++) {
            long from = first + random.nextInt((int) (last - first + 1));
            long to = from + 1 + random.nextInt((int) (last - from + 1));
            long maxBytes = random.nextBoolean() ? 1 << 20 : random.nextInt(600);
            List<LogEntry> read = log.read(from, to, maxBytes);
            List<LogEntry> stored = stored(log, from, to);
            assertEquals(stored.subList(0, read.size()), read, "read [" + from + ", " + to + ")");
            long bytes = 0;
            for (LogEntry e : read) {
                bytes += e.sizeBytes();
            }
            boolean oneMoreWouldFit = read.size() < stored.size()
                    && bytes + stored.get(read.size()).sizeBytes() <= maxBytes;
            assertEquals(false, oneMoreWouldFit, "read stopped early at " + read.size() + " of " + stored.size());
            assertEquals(stored.get(0).term(), log.termAt(from), "term at " + from);
        }
    }

    private static List<LogEntry> stored(SqliteLog log, long from, long to) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (PreparedStatement s = log.connection().prepareStatement(
                "SELECT idx, term, type, payload FROM raft_entries WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogEntry(rs.getLong(1), rs.getLong(2), EntryType.valueOf(rs.getString(3)),
                            rs.getBytes(4)));
                }
            }
        }
        return out;
    }
}
