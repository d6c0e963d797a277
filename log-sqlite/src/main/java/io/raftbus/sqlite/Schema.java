package io.raftbus.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The log's tables and their forward migrations. The schema version lives in {@code PRAGMA user_version}: 0 is an
 * empty file, and migration {@code n} (1-based) takes a database from version {@code n - 1} to {@code n}. A
 * migration only ever moves forward; a database newer than {@link #LATEST} is refused.
 *
 * <p>Version history: 1 created the tables; 2 lets compaction leave entries at or below the snapshot index behind
 * as garbage to delete later (no DDL: version-1 code would call such a file damaged, so it must refuse it as newer);
 * 3 adds {@code raft_entries_config}, a partial index of the CONFIG entries; 4 adds the client-session tables
 * ({@code raft_session_meta}, {@code raft_sessions}, {@code raft_session_results}, see {@link SessionRows}).
 *
 * <p>Table names start with {@code raft_} so that an application's own tables (see {@link SqliteStateMachine}) can
 * live in the same file without clashing.
 */
final class Schema {

    /** Migrations in order; index {@code i} produces version {@code i + 1}. Never edit a released one: add. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE raft_meta (
                        id             INTEGER PRIMARY KEY CHECK (id = 1),
                        cluster_id     TEXT    NOT NULL,
                        node_id        TEXT    NOT NULL,
                        current_term   INTEGER NOT NULL DEFAULT 0,
                        voted_for      TEXT,
                        snapshot_index INTEGER NOT NULL DEFAULT 0,
                        snapshot_term  INTEGER NOT NULL DEFAULT 0,
                        last_applied   INTEGER NOT NULL DEFAULT 0
                    )""",
                    """
                    CREATE TABLE raft_entries (
                        idx     INTEGER PRIMARY KEY,
                        term    INTEGER NOT NULL,
                        type    TEXT    NOT NULL,
                        payload BLOB    NOT NULL
                    )""",
                    """
                    CREATE TABLE raft_membership (
                        node_id TEXT PRIMARY KEY,
                        role    TEXT NOT NULL CHECK (role IN ('VOTER', 'LEARNER'))
                    )"""),
            // version 2, no DDL: rows of raft_entries at or below raft_meta.snapshot_index may remain after a
            // compaction, as garbage deleted a batch at a time and never read. Version-1 code would take them for
            // damage, so the version says that this code wrote the file.
            List.of(),
            // version 3: a partial index of the CONFIG entries, so that a node finds them at start without reading
            // the whole log (SqliteLog.configEntries). Building it reads the table once, on the first open.
            List.of("CREATE INDEX raft_entries_config ON raft_entries (idx) WHERE type = 'CONFIG'"),
            // version 4: the client-session table of a SqliteStateMachine run with sessions (SessionRows), kept with
            // the application's state; empty otherwise. raft_session_meta's row exists once sessions were used.
            List.of(
                    """
                    CREATE TABLE raft_session_meta (
                        id       INTEGER PRIMARY KEY CHECK (id = 1),
                        format   INTEGER NOT NULL,
                        log_time INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE raft_sessions (
                        id            INTEGER PRIMARY KEY,
                        last_active   INTEGER NOT NULL,
                        last_index    INTEGER NOT NULL UNIQUE,
                        first_unacked INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE raft_session_results (
                        session_id INTEGER NOT NULL,
                        seq        INTEGER NOT NULL,
                        result     BLOB    NOT NULL,
                        PRIMARY KEY (session_id, seq)
                    ) WITHOUT ROWID"""));

    /** The schema version this code writes and understands. */
    static final int LATEST = MIGRATIONS.size();

    private Schema() {
    }

    /** The database's {@code PRAGMA user_version}. */
    static int version(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Names of the tables in the database (to tell an empty file from somebody else's database). */
    static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Runs the migrations from {@code fromVersion} to {@link #LATEST}, inside the caller's transaction (so that a
     * crash leaves either the old or the new schema, never half of one).
     */
    static void migrate(Connection connection, int fromVersion) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (int v = fromVersion; v < LATEST; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + (v + 1));
            }
        }
    }
}
