package io.raftbus.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The log's single writer connection and its prepared statements, with the transaction discipline every write
 * follows: {@code BEGIN IMMEDIATE}, the work, {@code COMMIT}; on any failure a rollback, fresh statements (the
 * driver closes a statement whose execution failed) and a translated {@link SqliteLogException}. An I/O error, a
 * detected corruption or a failed rollback stops the connection for good (fail-stop): after a failed fsync the
 * operating system's page cache can no longer be trusted, so the node must restart and recover from the file. The
 * call that stops it, and every later one, throws a {@linkplain SqliteLogException#isPermanent() permanent} error.
 */
final class WriterConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriterConnection.class);

    private final Path file;
    private final Connection connection;
    private LogStatements sql;
    private boolean inTransaction;
    private SqliteLogException failure;
    private boolean closed;

    WriterConnection(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.sql = new LogStatements(connection);
    }

    /** The prepared statements (renewed after a failure: fetch them inside each unit of work). */
    LogStatements sql() {
        return sql;
    }

    /** The raw connection, for the state machine's own statements. */
    Connection connection() {
        checkUsable();
        return connection;
    }

    /** Runs {@code work} in one transaction; on failure nothing of it remains. */
    <T> T write(String what, SqlWork<T> work) {
        checkUsable();
        if (inTransaction) {
            throw new IllegalStateException("cannot " + what + " inside another transaction of the same log");
        }
        inTransaction = true;
        try {
            sql.begin.execute();
            T result = work.run();
            sql.commit.execute();
            return result;
        } catch (SQLException e) {
            SqliteLogException translated = SqlErrors.translate(file, what, e);
            rollbackAfter(translated);
            if (SqlErrors.isFatal(e)) {
                failStop(translated);
            }
            throw failure == null || translated.isPermanent() ? translated : stopped(translated);
        } catch (RuntimeException | Error e) {
            rollbackAfter(e);
            if (e instanceof SqliteLogCorruptException corrupt) {
                failStop(corrupt);
            }
            throw e;
        } finally {
            inTransaction = false;
        }
    }

    /** Runs a read outside any explicit transaction. */
    <T> T read(String what, SqlWork<T> work) {
        checkUsable();
        try {
            return work.run();
        } catch (SQLException e) {
            SqliteLogException translated = SqlErrors.translate(file, what, e);
            renewStatements(translated);
            if (SqlErrors.isFatal(e)) {
                failStop(translated);
            }
            throw failure == null || translated.isPermanent() ? translated : stopped(translated);
        } catch (SqliteLogCorruptException e) {
            failStop(e);
            throw e;
        }
    }

    private void rollbackAfter(Throwable cause) {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            if (SqlErrors.primaryCode(e) != SqlErrors.SQLITE_ERROR) { // SQLITE_ERROR: SQLite already rolled back
                cause.addSuppressed(e);
                failStop(new SqliteLogStorageException("could not roll back after a failed write on " + file
                        + "; restart the node", e, true));
            }
        }
        renewStatements(cause);
    }

    private void renewStatements(Throwable cause) {
        sql.close();
        try {
            sql = new LogStatements(connection);
        } catch (SQLException e) {
            cause.addSuppressed(e);
            failStop(SqlErrors.translate(file, "prepare the log's statements after a failure", e));
        }
    }

    private void failStop(SqliteLogException cause) {
        if (failure == null) {
            failure = cause;
            LOG.error("{} is no longer usable until the node restarts: {}", file, cause.getMessage());
        }
    }

    /** Throws unless the connection is open and has not stopped after a failure. */
    void checkUsable() {
        if (closed) {
            throw new IllegalStateException("log " + file + " is closed");
        }
        if (failure != null) {
            throw stopped(null);
        }
    }

    /** The permanent failure every call meets once the connection stopped; {@code during} is the call's own error. */
    private SqliteLogStorageException stopped(SqliteLogException during) {
        SqliteLogStorageException e = new SqliteLogStorageException("log " + file + " stopped after an earlier"
                + " failure; restart the node (cause: " + failure.getMessage() + ")", failure, true);
        if (during != null) {
            e.addSuppressed(during);
        }
        return e;
    }

    /** Runs a {@code PRAGMA} that returns one number (test hooks: page count, page limit). */
    long pragma(String pragma) {
        checkUsable();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            throw SqlErrors.translate(file, "PRAGMA " + pragma, e);
        }
    }

    /** Reads one number with a {@code PRAGMA}, inside a unit of work ({@link #write}) that handles the failure. */
    long pragmaInWork(String pragma) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /**
     * Gives up to {@code pages} free pages back to the file system, inside a unit of work. {@code PRAGMA
     * incremental_vacuum} frees one page per step of the statement and JDBC takes only the first step of a statement
     * that returns no rows, so the statement runs once per page (a few microseconds each).
     */
    void incrementalVacuum(long pages) throws SQLException {
        try (PreparedStatement vacuum = connection.prepareStatement("PRAGMA incremental_vacuum(1)")) {
            for (long i = 0; i < pages; i++) {
                vacuum.execute();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sql.close();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the SQLite connection of {} failed: {}", file, e.getMessage());
        }
    }
}
