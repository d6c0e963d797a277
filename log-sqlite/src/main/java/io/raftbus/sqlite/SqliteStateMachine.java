package io.raftbus.sqlite;

import io.raftbus.engine.spi.StateMachine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Base for a state machine whose state lives in tables of the node's {@link SqliteLog} database, so that an
 * entry's effects and the node's last-applied index commit in one transaction.
 *
 * <p>{@link #apply} opens a transaction on the log's connection, calls {@link #applyInTransaction}, stores the
 * entry's index as last applied and commits. A crash at any point leaves either all of an entry's effects and its
 * index, or neither; on restart {@link #lastAppliedIndex()} tells the node where to resume, so nothing is applied
 * twice and nothing is skipped. If {@code applyInTransaction} throws, the transaction is rolled back and the
 * exception propagates (the entry counts as not applied). A command the application refuses (an overdraft, say)
 * should not throw: return a result that says so, and the refusal is recorded as applied like any other outcome.
 *
 * <p>Used from the node's event-loop thread only, like the log. Subclasses must not commit, roll back, close the
 * connection or change its auto-commit mode. To serve reads from other threads, open a separate read-only
 * connection on {@link SqliteLog#file()}: WAL mode lets readers run beside the writer.
 */
public abstract class SqliteStateMachine implements StateMachine {

    /** Work on the log's connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<T> {
        /** Runs the work on {@code connection}. */
        T apply(Connection connection) throws SQLException;
    }

    private final SqliteLog log;

    /** Binds the state machine to {@code log}'s database and connection. */
    protected SqliteStateMachine(SqliteLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Applies the entry at {@code index} atomically with recording it as applied. Indexes must increase from call
     * to call; they may skip (the node applies only command entries, not its no-op and configuration entries).
     *
     * @throws IllegalStateException if {@code index} is not above {@link #lastAppliedIndex()} (applied already)
     * @throws SqliteLogException if the transaction could not be committed (nothing of it is then stored)
     */
    @Override
    public final byte[] apply(long index, byte[] command) {
        Objects.requireNonNull(command, "command");
        Connection connection = log.connection();
        byte[] result = log.applyInTransaction(index, () -> applyInTransaction(connection, index, command));
        return result == null ? new byte[0] : result;
    }

    /** The last index whose effects are committed in the database; 0 before the first. */
    @Override
    public final long lastAppliedIndex() {
        return log.lastApplied();
    }

    /**
     * Applies one command to the application's tables, inside the transaction that also records {@code index} as
     * applied. Must be deterministic: every node applies the same commands in the same order.
     *
     * @return the result for the submitter (may be empty)
     */
    protected abstract byte[] applyInTransaction(Connection connection, long index, byte[] command)
            throws SQLException;

    /** Runs {@code work} in its own transaction (for example to create the application's tables on start). */
    protected final <T> T inTransaction(String what, SqlFunction<T> work) {
        Connection connection = log.connection();
        return log.inTransaction(what, () -> work.apply(connection));
    }

    /** Runs a read on the log's connection, outside any transaction, from the node's thread. */
    protected final <T> T query(String what, SqlFunction<T> work) {
        try {
            return work.apply(log.connection());
        } catch (SQLException e) {
            throw SqlErrors.translate(log.file(), what, e);
        }
    }

    /** The log this state machine shares its database with. */
    protected final SqliteLog log() {
        return log;
    }
}
