package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqliteLog#configEntries} answers from the partial index {@code raft_entries_config} (schema version 3),
 * which the migration builds over the entries a version-2 file already holds.
 */
class SqliteLogConfigIndexTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("log.db");
    }

    private static LogEntry config(long index) {
        return new LogEntry(index, 1, EntryType.CONFIG,
                MembershipCodec.encode(Membership.ofVoters(Set.of("n" + index))));
    }

    @Test
    void aVersionTwoFileGetsTheIndexOverItsEntriesOnOpen() throws SQLException {
        List<LogEntry> written = new ArrayList<>();
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            for (long i = 1; i <= 300; i++) {
                written.add(i % 100 == 50 ? config(i) : new LogEntry(i, 1, EntryType.COMMAND, new byte[] {(byte) i}));
            }
            log.append(written);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            s.execute("DROP INDEX raft_entries_config");
            for (String table : List.of("raft_session_meta", "raft_sessions", "raft_session_results")) {
                s.execute("DROP TABLE " + table); // version 4's, which a version-2 file does not have
            }
            s.execute("PRAGMA user_version = 2");
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(List.of(config(50), config(150), config(250)), log.configEntries(1));
            log.append(List.of(config(301)));
            assertEquals(List.of(config(250), config(301)), log.configEntries(200));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
            assertEquals(Schema.LATEST, Schema.version(c));
            assertTrue(Schema.tables(c).contains("raft_sessions"), "version 4's tables: " + Schema.tables(c));
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                    + " AND name = 'raft_entries_config'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "the migration built the index");
            }
        }
    }
}
