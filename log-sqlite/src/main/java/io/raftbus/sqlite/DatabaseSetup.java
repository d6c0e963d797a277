package io.raftbus.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What {@link SqliteLog#open} does to a fresh connection before the log is usable: connection settings (WAL,
 * synchronous, busy timeout; incremental auto-vacuum for a new file), the optional integrity check, then — in one transaction — creating or migrating the
 * schema and checking that the database belongs to this node of this cluster.
 */
final class DatabaseSetup {

    private DatabaseSetup() {
    }

    /** Sets the per-connection pragmas; the first read also tells a non-database file apart. */
    static void configure(Connection c, Path file, SqliteLogOptions options) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
            // the first read fails with SQLITE_NOTADB on a file that is not a database; refuse a foreign or newer
            // database before switching it to WAL, which would modify its header
            int version = Schema.version(c);
            refuseUnknown(c, file, version);
            if (version == 0) {
                // only possible before the first table exists: a new file gives the pages that compaction frees
                // back to the file system a few at a time (SqliteLog runs PRAGMA incremental_vacuum); a file created
                // before keeps auto_vacuum=NONE, reuses its free pages for later appends and never shrinks unless an
                // operator runs VACUUM on it while the node is stopped
                s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SqliteLogStorageException("cannot put " + file + " into WAL journal mode (SQLite"
                            + " answered '" + mode + "'); the log needs a file on a local file system");
                }
            }
            s.execute("PRAGMA synchronous = " + options.durability().pragmaValue());
            if (options.integrityCheckOnOpen()) {
                checkIntegrity(s, file);
            }
        }
    }

    private static void checkIntegrity(Statement s, Path file) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            String verdict = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equalsIgnoreCase(verdict)) {
                throw new SqliteLogCorruptException(file + " failed SQLite's integrity check (" + verdict
                        + "); restore it from a backup, or move it away and let the node catch up from the leader");
            }
        }
    }

    /**
     * Creates the schema in an empty database, or migrates an older one, and checks the stored ids, all in one
     * transaction: on any failure nothing is changed.
     */
    static void prepareSchema(Connection c, Path file, String clusterId, String nodeId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                int version = Schema.version(c);
                refuseUnknown(c, file, version);
                Schema.migrate(c, version);
                if (version == 0) {
                    insertIds(c, clusterId, nodeId);
                } else {
                    checkIds(c, file, clusterId, nodeId);
                }
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private static void refuseUnknown(Connection c, Path file, int version) throws SQLException {
        if (version > Schema.LATEST) {
            throw new SqliteLogSchemaException(file + " has schema version " + version + " but this raftbus knows"
                    + " versions up to " + Schema.LATEST + " (was it written by a newer raftbus?); run that version,"
                    + " the file is left untouched");
        }
        if (version == 0) {
            List<String> tables = Schema.tables(c);
            if (!tables.isEmpty()) {
                throw new SqliteLogCorruptException(file + " is a SQLite database but not a raftbus log (schema"
                        + " version 0, tables " + tables + "); refusing to modify it: check the configured path");
            }
        }
    }

    private static void insertIds(Connection c, String clusterId, String nodeId) throws SQLException {
        try (var insert = c.prepareStatement("INSERT INTO raft_meta (id, cluster_id, node_id) VALUES (1, ?, ?)")) {
            insert.setString(1, clusterId);
            insert.setString(2, nodeId);
            insert.executeUpdate();
        }
    }

    private static void checkIds(Connection c, Path file, String clusterId, String nodeId) throws SQLException {
        try (var select = c.prepareStatement("SELECT cluster_id, node_id FROM raft_meta WHERE id = 1");
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SqliteLogCorruptException(file + " has the raftbus schema but no metadata row; the file"
                        + " is damaged: restore it from a backup, or move it away and let the node catch up");
            }
            String storedCluster = rs.getString(1);
            String storedNode = rs.getString(2);
            if (!storedCluster.equals(clusterId) || !storedNode.equals(nodeId)) {
                throw new SqliteLogOwnershipException(file + " belongs to node '" + storedNode + "' of cluster '"
                        + storedCluster + "', not to node '" + nodeId + "' of cluster '" + clusterId + "'; check"
                        + " the node's configured id and data path (the file is left untouched)");
            }
        }
    }
}
