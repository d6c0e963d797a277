package io.raftbus.sqlite;

import io.raftbus.engine.session.SessionChanges;
import io.raftbus.engine.session.SessionStore;
import io.raftbus.engine.session.StoredSessions;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 *
 * <p>Snapshots ({@link #captureSnapshot()}, {@link #restoreSnapshot}) hold the application's tables and the applied
 * index, as a SQLite database file of their own; the application's table names must not start with {@code raft_}
 * (reserved for raftbus) or {@code sqlite_}. Tables are copied row by row ({@code INSERT ... SELECT *}), so virtual
 * tables (FTS and the like) and generated columns are not supported in snapshots yet. Scratch files of a snapshot being written or restored live beside the
 * log's file ({@code <file>.state-*.tmp}) and are deleted when done, or by the next start after a crash.
 *
 * <p>Client sessions ({@code RaftNode.Builder.sessions}): this is a {@link SessionStore}, so the session table lives
 * in the same database ({@code raft_session*} tables) and each entry's table changes commit in the transaction that
 * applies it, and a restored snapshot's table in the transaction that restores the state. The state of a database
 * is applied with sessions from its first entry or never: turning them on over a state applied without them, or
 * off over one applied with them, is refused.
 */
public abstract class SqliteStateMachine implements StateMachine, SessionStore {

    /** Work on the log's connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<T> {
        /** Runs the work on {@code connection}. */
        T apply(Connection connection) throws SQLException;
    }

    private final SqliteLog log;
    /** Whether this database's state was applied with client sessions; checked once before the first plain apply. */
    private Boolean sessionsUsed;

    /** Binds the state machine to {@code log}'s database and connection. */
    protected SqliteStateMachine(SqliteLog log) {
        this.log = Objects.requireNonNull(log, "log");
        SqliteStateSnapshot.deleteLeftovers(log.file());
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
        if (sessionsUsed == null) {
            sessionsUsed = query("check for client sessions", SessionRows::used);
        }
        if (sessionsUsed) {
            throw new IllegalStateException(log.file() + ": the state was applied with client sessions, so every"
                    + " entry must be applied through them: build the node with RaftNode.Builder.sessions");
        }
        byte[] result = log.applyInTransaction(index, () -> applyInTransaction(connection, index, command));
        return result == null ? new byte[0] : result;
    }

    /**
     * For client sessions: the session table stored in the database, checked ({@link SqliteLogCorruptException}
     * naming the file if it is foreign or inconsistent; {@link IllegalStateException} if the state was applied
     * without sessions).
     */
    @Override
    public final StoredSessions loadSessions() {
        long applied = log.lastApplied();
        return query("load the client-session table", c -> SessionRows.load(c, log.file(), applied));
    }

    /**
     * For client sessions: applies entry {@code index} in one transaction that also stores the session table's
     * changes and the applied index; the application's {@link #applyInTransaction} runs inside it for a first
     * application of a payload.
     */
    @Override
    public final void applyWithSessions(long index, Step step) {
        Connection connection = log.connection();
        log.applyInTransaction(index, () -> {
            SessionChanges changes;
            try {
                changes = step.run((i, payload) -> {
                    try {
                        byte[] result = applyInTransaction(connection, i, payload);
                        return result == null ? new byte[0] : result;
                    } catch (SQLException e) {
                        throw new SqlInStep(e);
                    }
                });
            } catch (SqlInStep e) {
                throw e.sql;
            }
            SessionRows.save(connection, changes);
            return null;
        });
        sessionsUsed = true;
    }

    /** Carries the application's {@link SQLException} through the session table's step. */
    private static final class SqlInStep extends RuntimeException {
        final SQLException sql;

        SqlInStep(SQLException sql) {
            super(sql.getMessage(), sql, false, false);
            this.sql = sql;
        }
    }

    /**
     * For client sessions: {@link #restoreSnapshot} with {@code sessions} replacing the stored session table in the
     * same transaction.
     */
    @Override
    public final void restoreWithSessions(SnapshotInfo snapshot, InputStream application, StoredSessions sessions)
            throws IOException {
        Objects.requireNonNull(sessions, "sessions");
        restore(snapshot, application, () -> {
            SessionRows.replace(log.connection(), sessions);
            return null;
        });
        sessionsUsed = true;
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

    /**
     * Captures the application's tables as of {@link #lastAppliedIndex()}, quickly, on the node's thread: a read
     * transaction on a second connection pins that state (WAL lets the log's connection go on writing) and
     * {@link StateSnapshot#writeTo} copies it, on the snapshot thread, into a new SQLite database holding the
     * application's tables (every table, index, trigger and view whose name starts neither with {@code sqlite_}
     * nor with {@code raft_}) and the applied index, not the log; those are the bytes written.
     */
    @Override
    public final StateSnapshot captureSnapshot() {
        return SqliteStateSnapshot.capture(log.file(), log.lastApplied());
    }

    /**
     * Replaces the application's tables with the snapshot's and records {@code snapshot.index()} as applied, in one
     * transaction: a crash leaves the old state and applied index or the new ones, never a mix. The bytes are first
     * copied to a scratch file beside the log's and checked (a sound SQLite database written by
     * {@link #captureSnapshot()} at that index); anything else is refused with an {@link IOException} and changes
     * nothing. Calls {@link #afterRestore()} once the new state is committed.
     */
    @Override
    public final void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        restore(snapshot, in, () -> null);
    }

    private void restore(SnapshotInfo snapshot, InputStream in, SqlWork<?> alsoInTransaction) throws IOException {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(in, "in");
        Path file = SqliteStateSnapshot.temporaryFile(log.file(), "restore");
        try {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            SqliteStateSnapshot.verify(file, snapshot.index());
            log.replaceState(snapshot.index(), file, alsoInTransaction);
        } finally {
            SqliteStateSnapshot.deleteQuietly(file);
        }
        afterRestore();
    }

    /** Called after a snapshot replaced the state (to drop caches of it); does nothing by default. */
    protected void afterRestore() {
    }

    /** The log this state machine shares its database with. */
    protected final SqliteLog log() {
        return log;
    }
}
