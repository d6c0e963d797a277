package io.raftbus.sqlite;

import io.raftbus.engine.session.SessionChanges;
import io.raftbus.engine.session.SessionTable;
import io.raftbus.engine.session.StoredSessions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client-session table of a {@link SqliteStateMachine} run with sessions, in the log's database (schema version
 * 4): {@code raft_session_meta} (format, log time; its row exists once sessions were used), {@code raft_sessions}
 * (one row per open session) and {@code raft_session_results} (the results each holds for its client). Written
 * inside the transaction that applies an entry or restores a snapshot, so it always matches the application's
 * state and the applied index.
 */
final class SessionRows {

    /** The format of the rows; a file with another was written by a newer raftbus. */
    static final int FORMAT = 1;

    private SessionRows() {
    }

    /** Whether sessions were ever used on this database (the meta row exists). */
    static boolean used(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM raft_session_meta WHERE id = 1")) {
            return rs.next();
        }
    }

    /**
     * The stored table, checked: a format this code reads and rows a table could hold.
     *
     * @throws SqliteLogCorruptException naming {@code file} and what is wrong
     * @throws IllegalStateException the state was applied through {@code lastApplied} without sessions
     */
    static StoredSessions load(Connection c, Path file, long lastApplied) throws SQLException {
        long logTime;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT format, log_time FROM raft_session_meta WHERE id = 1")) {
            if (!rs.next()) {
                if (lastApplied > 0 || count(c, "raft_sessions") > 0 || count(c, "raft_session_results") > 0) {
                    throw new IllegalStateException(file + ": the state was applied through index " + lastApplied
                            + " without client sessions, so they cannot be turned on over it (every node of a"
                            + " cluster runs sessions from its first entry, or none does)");
                }
                return StoredSessions.EMPTY;
            }
            if (rs.getInt(1) != FORMAT) {
                throw corrupt(file, "its format is " + rs.getInt(1) + " but this raftbus reads " + FORMAT);
            }
            logTime = rs.getLong(2);
        }
        Map<Long, TreeMap<Long, byte[]>> results = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT session_id, seq, result FROM raft_session_results ORDER BY session_id, seq")) {
            while (rs.next()) {
                byte[] result = rs.getBytes(3);
                if (result == null) {
                    throw corrupt(file, "session " + rs.getLong(1) + " seq " + rs.getLong(2) + " has no result");
                }
                results.computeIfAbsent(rs.getLong(1), id -> new TreeMap<>()).put(rs.getLong(2), result);
            }
        }
        List<StoredSessions.Session> sessions = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, last_active, last_index, first_unacked FROM raft_sessions ORDER BY last_index")) {
            while (rs.next()) {
                TreeMap<Long, byte[]> held = results.remove(rs.getLong(1));
                sessions.add(new StoredSessions.Session(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        held == null ? new TreeMap<>() : held));
            }
        }
        if (!results.isEmpty()) {
            throw corrupt(file, "it holds results of sessions it does not have: " + results.keySet());
        }
        StoredSessions stored = new StoredSessions(logTime, sessions);
        try {
            new SessionTable(1).load(stored); // the table's own checks
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
        return stored;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static SqliteLogCorruptException corrupt(Path file, String what) {
        return new SqliteLogCorruptException(file + " holds a client-session table this raftbus cannot use: " + what
                + "; restore the file from a backup, or move it away and let the node catch up from the leader");
    }

    /** Saves one entry's changes (inside the caller's transaction). */
    static void save(Connection c, SessionChanges changes) throws SQLException {
        saveLogTime(c, changes.logTime());
        if (!changes.removed().isEmpty()) {
            try (PreparedStatement session = c.prepareStatement("DELETE FROM raft_sessions WHERE id = ?");
                 PreparedStatement held = c.prepareStatement(
                         "DELETE FROM raft_session_results WHERE session_id = ?")) {
                for (long id : changes.removed()) {
                    session.setLong(1, id);
                    session.executeUpdate();
                    held.setLong(1, id);
                    held.executeUpdate();
                }
            }
        }
        SessionChanges.Touched t = changes.touched();
        if (t != null) {
            try (PreparedStatement row = c.prepareStatement("INSERT OR REPLACE INTO raft_sessions"
                    + " (id, last_active, last_index, first_unacked) VALUES (?, ?, ?, ?)");
                 PreparedStatement acknowledged = c.prepareStatement(
                         "DELETE FROM raft_session_results WHERE session_id = ? AND seq < ?")) {
                row.setLong(1, t.id());
                row.setLong(2, t.lastActive());
                row.setLong(3, t.lastIndex());
                row.setLong(4, t.firstUnacked());
                row.executeUpdate();
                acknowledged.setLong(1, t.id());
                acknowledged.setLong(2, t.firstUnacked());
                acknowledged.executeUpdate();
            }
            if (changes.heldResult() != null) {
                insertResult(c, t.id(), changes.heldSeq(), changes.heldResult());
            }
        }
    }

    /** Replaces the whole stored table with {@code stored} (inside the caller's transaction). */
    static void replace(Connection c, StoredSessions stored) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM raft_session_results");
            s.execute("DELETE FROM raft_sessions");
        }
        saveLogTime(c, stored.logTime());
        try (PreparedStatement row = c.prepareStatement("INSERT INTO raft_sessions"
                + " (id, last_active, last_index, first_unacked) VALUES (?, ?, ?, ?)")) {
            for (StoredSessions.Session session : stored.sessions()) {
                row.setLong(1, session.id());
                row.setLong(2, session.lastActive());
                row.setLong(3, session.lastIndex());
                row.setLong(4, session.firstUnacked());
                row.executeUpdate();
                for (Map.Entry<Long, byte[]> r : session.results().entrySet()) {
                    insertResult(c, session.id(), r.getKey(), r.getValue());
                }
            }
        }
    }

    private static void saveLogTime(Connection c, long logTime) throws SQLException {
        try (PreparedStatement meta = c.prepareStatement(
                "INSERT OR REPLACE INTO raft_session_meta (id, format, log_time) VALUES (1, ?, ?)")) {
            meta.setInt(1, FORMAT);
            meta.setLong(2, logTime);
            meta.executeUpdate();
        }
    }

    private static void insertResult(Connection c, long sessionId, long seq, byte[] result) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO raft_session_results (session_id, seq, result) VALUES (?, ?, ?)")) {
            insert.setLong(1, sessionId);
            insert.setLong(2, seq);
            insert.setBytes(3, result);
            insert.executeUpdate();
        }
    }
}
