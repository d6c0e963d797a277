package io.raftbus.benchmarks;

import io.raftbus.sqlite.Durability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The baseline: the same rows inserted with a plain JDBC batch into a bare table, one transaction per batch, with
 * the same WAL journal and synchronous level — what a hand-written minimal SQLite log would cost.
 */
final class JdbcBaselineAppender implements Appender {

    private final Connection connection;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement insert;

    JdbcBaselineAppender(Path file, Durability durability) throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = " + durability.pragmaValue());
            s.execute("CREATE TABLE IF NOT EXISTS rows (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL,"
                    + " type TEXT NOT NULL, payload BLOB NOT NULL)");
        }
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        commit = connection.prepareStatement("COMMIT");
        insert = connection.prepareStatement("INSERT INTO rows (idx, term, type, payload) VALUES (?, ?, ?, ?)");
    }

    @Override
    public void append(long first, int count) throws SQLException {
        begin.execute();
        for (long i = first; i < first + count; i++) {
            insert.setLong(1, i);
            insert.setLong(2, 1);
            insert.setString(3, "COMMAND");
            insert.setBytes(4, Appender.payload(i));
            insert.addBatch();
        }
        insert.executeBatch();
        commit.execute();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
