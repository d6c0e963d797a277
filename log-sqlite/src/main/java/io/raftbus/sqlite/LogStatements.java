package io.raftbus.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The log's prepared statements, prepared once on open and closed with the log. */
final class LogStatements implements AutoCloseable {

    private final List<PreparedStatement> all = new ArrayList<>();

    final PreparedStatement begin;
    final PreparedStatement commit;
    final PreparedStatement selectMeta;
    final PreparedStatement updateHardState;
    final PreparedStatement updateLastApplied;
    final PreparedStatement insertEntry;
    final PreparedStatement deleteEntriesFrom;
    final PreparedStatement deleteEntriesBetween;
    final PreparedStatement updateSnapshot;
    final PreparedStatement selectTerm;
    final PreparedStatement selectRange;
    final PreparedStatement selectConfigFrom;
    final PreparedStatement selectLast;
    final PreparedStatement selectFirst;
    final PreparedStatement selectGarbage;
    final PreparedStatement deleteMembership;
    final PreparedStatement insertMember;
    final PreparedStatement selectMembership;

    LogStatements(Connection c) throws SQLException {
        try {
            begin = prepare(c, "BEGIN IMMEDIATE");
            commit = prepare(c, "COMMIT");
            selectMeta = prepare(c, "SELECT cluster_id, node_id, current_term, voted_for, snapshot_index,"
                    + " snapshot_term, last_applied FROM raft_meta WHERE id = 1");
            updateHardState = prepare(c, "UPDATE raft_meta SET current_term = ?, voted_for = ? WHERE id = 1");
            updateLastApplied = prepare(c, "UPDATE raft_meta SET last_applied = ? WHERE id = 1");
            insertEntry = prepare(c, "INSERT INTO raft_entries (idx, term, type, payload) VALUES (?, ?, ?, ?)");
            deleteEntriesFrom = prepare(c, "DELETE FROM raft_entries WHERE idx >= ?");
            deleteEntriesBetween = prepare(c, "DELETE FROM raft_entries WHERE idx >= ? AND idx <= ?");
            updateSnapshot = prepare(c, "UPDATE raft_meta SET snapshot_index = ?, snapshot_term = ? WHERE id = 1");
            selectTerm = prepare(c, "SELECT term FROM raft_entries WHERE idx = ?");
            selectRange = prepare(c, "SELECT idx, term, type, payload FROM raft_entries"
                    + " WHERE idx >= ? AND idx < ? ORDER BY idx");
            // INDEXED BY: the partial index or an error, never a silent scan of the whole table
            selectConfigFrom = prepare(c, "SELECT idx, term, type, payload FROM raft_entries"
                    + " INDEXED BY raft_entries_config WHERE type = 'CONFIG' AND idx >= ? ORDER BY idx");
            selectLast = prepare(c, "SELECT idx, term FROM raft_entries WHERE idx > ? ORDER BY idx DESC LIMIT 1");
            selectFirst = prepare(c, "SELECT idx FROM raft_entries WHERE idx > ? ORDER BY idx LIMIT 1");
            selectGarbage = prepare(c, "SELECT min(idx), max(idx) FROM raft_entries WHERE idx <= ?");
            deleteMembership = prepare(c, "DELETE FROM raft_membership");
            insertMember = prepare(c, "INSERT INTO raft_membership (node_id, role) VALUES (?, ?)");
            selectMembership = prepare(c, "SELECT node_id, role FROM raft_membership ORDER BY node_id");
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        all.add(statement);
        return statement;
    }

    @Override
    public void close() {
        for (PreparedStatement statement : all) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing; nothing to recover
            }
        }
        all.clear();
    }
}
