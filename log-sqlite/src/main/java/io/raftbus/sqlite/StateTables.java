package io.raftbus.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The application's state in a SQLite database: every table, index, trigger and view except SQLite's own
 * ({@code sqlite_*}) and raftbus's ({@code raft_*}: the log, and a snapshot's metadata). Copies that state from an
 * attached database into {@code main} and drops it from {@code main}, inside the caller's transaction; used by
 * {@link SqliteStateMachine} to write a snapshot (log database into a new file) and to restore one (snapshot file
 * into the log database).
 */
final class StateTables {

    /** One object of the application's schema: its type, name and the SQL that created it. */
    record SchemaObject(String type, String name, String sql) {
    }

    private StateTables() {
    }

    /** Whether {@code name} belongs to the application (not to SQLite, not to raftbus). */
    static boolean belongsToApplication(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.startsWith("sqlite_") && !lower.startsWith("raft_");
    }

    /** The application's objects in {@code schema} ({@code main} or an attached name), tables first. */
    static List<SchemaObject> objects(Connection c, String schema) throws SQLException {
        List<SchemaObject> out = new ArrayList<>();
        String query = "SELECT type, name, sql FROM " + quote(schema) + ".sqlite_schema WHERE sql IS NOT NULL"
                + " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, name";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                // an index or trigger belongs to the application if its table does; their names are the app's too
                if (belongsToApplication(rs.getString(2))) {
                    out.add(new SchemaObject(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Creates the application's objects of schema {@code from} in {@code main} and copies the rows of its tables
     * (indexes and triggers after the rows, so triggers do not fire on the copy).
     */
    static void copyInto(Connection c, String from, List<SchemaObject> objects) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (SchemaObject o : objects) {
                if (o.type().equals("table")) {
                    s.execute(o.sql()); // unqualified: creates the table in main
                    s.execute("INSERT INTO main." + quote(o.name()) + " SELECT * FROM " + quote(from) + "."
                            + quote(o.name()));
                }
            }
            copySequences(c, from);
            for (SchemaObject o : objects) {
                if (!o.type().equals("table")) {
                    s.execute(o.sql());
                }
            }
        }
    }

    /** AUTOINCREMENT counters of the application's tables, which the copied rows alone may not restore. */
    private static void copySequences(Connection c, String from) throws SQLException {
        if (!hasTable(c, from, "sqlite_sequence") || !hasTable(c, "main", "sqlite_sequence")) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, seq FROM " + quote(from) + ".sqlite_sequence")) {
            while (rs.next()) {
                if (belongsToApplication(rs.getString(1))) {
                    rows.add(new Object[] {rs.getString(1), rs.getLong(2)});
                }
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM main.sqlite_sequence WHERE name = ?");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)")) {
            for (Object[] row : rows) {
                delete.setString(1, (String) row[0]);
                delete.executeUpdate();
                insert.setString(1, (String) row[0]);
                insert.setLong(2, (Long) row[1]);
                insert.executeUpdate();
            }
        }
    }

    /** Drops the application's objects from {@code main} (views and triggers first, then tables with indexes). */
    static void dropFromMain(Connection c) throws SQLException {
        List<SchemaObject> objects = objects(c, "main");
        try (Statement s = c.createStatement()) {
            for (int i = objects.size() - 1; i >= 0; i--) {
                SchemaObject o = objects.get(i);
                if (o.type().equals("view") || o.type().equals("trigger")) {
                    s.execute("DROP " + o.type().toUpperCase(Locale.ROOT) + " IF EXISTS main."
                            + quote(o.name()));
                }
            }
            for (SchemaObject o : objects) {
                if (o.type().equals("table")) {
                    s.execute("DROP TABLE IF EXISTS main." + quote(o.name())); // its indexes go with it
                }
            }
        }
    }

    private static boolean hasTable(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + quote(schema)
                + ".sqlite_schema WHERE type = 'table' AND name = ?")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** {@code name} as a quoted SQL identifier. */
    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
