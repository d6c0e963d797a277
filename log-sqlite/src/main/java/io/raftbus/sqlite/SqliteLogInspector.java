package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a node's SQLite log without opening it as a {@link SqliteLog}: a read-only connection and one short read
 * transaction, no lock file, nothing written. Safe while the node runs on the file: in WAL mode a reader never blocks
 * the writer, and the description is one consistent snapshot.
 */
public final class SqliteLogInspector {

    private SqliteLogInspector() {
    }

    /**
     * Describes {@code dbFile}, listing its last {@code entries} entries.
     *
     * @throws SqliteLogStorageException if the file does not exist or cannot be read
     * @throws SqliteLogCorruptException if it is not a SQLite database or not a raftbus log
     */
    public static SqliteLogDescription describe(Path dbFile, int entries) {
        Objects.requireNonNull(dbFile, "dbFile");
        if (entries < 0) {
            throw new IllegalArgumentException("entries must not be negative: " + entries);
        }
        Path file = dbFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new SqliteLogStorageException(file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new SqliteLogStorageException(file + " is not readable by this user");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.setBusyTimeout(5_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
            c.setAutoCommit(false); // one read transaction: a consistent snapshot of the file
            try {
                return read(c, file, entries);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(file, "inspect", e);
        }
    }

    private static SqliteLogDescription read(Connection c, Path file, int entries) throws SQLException {
        int version = Schema.version(c);
        if (version == 0 || !Schema.tables(c).contains("raft_meta")) {
            throw new SqliteLogCorruptException(file + " is not a raftbus log (no raft_meta table)");
        }
        String clusterId;
        String nodeId;
        long term;
        String votedFor;
        long snapshotIndex;
        long snapshotTerm;
        long lastApplied;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT cluster_id, node_id,"
                + " current_term, voted_for, snapshot_index, snapshot_term, last_applied FROM raft_meta WHERE id = 1")) {
            if (!rs.next()) {
                throw new SqliteLogCorruptException(file + " has no metadata row; the file is damaged");
            }
            clusterId = rs.getString(1);
            nodeId = rs.getString(2);
            term = rs.getLong(3);
            votedFor = rs.getString(4);
            snapshotIndex = rs.getLong(5);
            snapshotTerm = rs.getLong(6);
            lastApplied = rs.getLong(7);
        }
        long lastIndex = snapshotIndex;
        long lastTerm = snapshotTerm;
        List<SqliteLogDescription.Entry> last = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT idx, term, type, payload FROM raft_entries WHERE idx > ? ORDER BY idx DESC LIMIT ?")) {
            p.setLong(1, snapshotIndex); // rows at or below the snapshot are garbage awaiting deletion
            p.setInt(2, Math.max(entries, 1));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    SqliteLogDescription.Entry entry = new SqliteLogDescription.Entry(rs.getLong(1), rs.getLong(2),
                            EntryType.valueOf(rs.getString(3)), rs.getBytes(4));
                    if (last.isEmpty()) {
                        lastIndex = entry.index();
                        lastTerm = entry.term();
                    }
                    last.add(entry);
                }
            }
        }
        if (entries == 0) {
            last.clear();
        }
        Collections.reverse(last);
        Map<String, String> membership = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT node_id, role FROM raft_membership ORDER BY node_id")) {
            while (rs.next()) {
                membership.put(rs.getString(1), rs.getString(2));
            }
        }
        long garbage;
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM raft_entries WHERE idx <= ?")) {
            p.setLong(1, snapshotIndex);
            try (ResultSet rs = p.executeQuery()) {
                garbage = rs.next() ? rs.getLong(1) : 0;
            }
        }
        SqliteLogDescription.Space space = new SqliteLogDescription.Space(pragma(c, "page_size"),
                pragma(c, "page_count"), pragma(c, "freelist_count"), pragma(c, "auto_vacuum") == 2, garbage);
        return new SqliteLogDescription(file, version, clusterId, nodeId, term, votedFor, snapshotIndex, snapshotTerm,
                snapshotIndex + 1, lastIndex, lastTerm, lastApplied, membership, last, space);
    }

    private static long pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
