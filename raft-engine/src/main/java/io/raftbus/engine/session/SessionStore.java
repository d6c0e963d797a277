package io.raftbus.engine.session;

import io.raftbus.engine.spi.SnapshotInfo;

import java.io.IOException;
import java.io.InputStream;

/**
 * Implemented by a <em>durable</em> {@link io.raftbus.engine.spi.StateMachine} (one whose
 * {@code lastAppliedIndex()} survives a restart, such as a SQLite one) so that client sessions can run over it: the
 * {@link SessionStateMachine} keeps the session table in the store, committed atomically with the application's own
 * effects and the applied index, so a restart resumes with the table as of the state it resumes from. An in-memory
 * state machine needs none of this (the table is rebuilt with it from snapshots and the log).
 *
 * <p>Called on the node's event loop only.
 */
public interface SessionStore {

    /**
     * The stored table ({@link StoredSessions#EMPTY} before the first session entry).
     *
     * @throws IllegalStateException or a store-specific exception if the stored table is unreadable or foreign,
     *                               saying what is wrong
     */
    StoredSessions loadSessions();

    /**
     * Applies log entry {@code index} as one atomic unit that also records {@code index} as applied: runs
     * {@code step}, whose {@link PayloadApplier} applies a payload to the application inside the unit, then saves
     * the table changes the step returns in the same unit. If anything throws, nothing of it is stored.
     */
    void applyWithSessions(long index, Step step);

    /**
     * Replaces the application's state with the snapshot's ({@code application}: the application's own snapshot
     * bytes) and the stored table with {@code sessions}, recording {@code snapshot.index()} as applied, in one
     * atomic unit.
     */
    void restoreWithSessions(SnapshotInfo snapshot, InputStream application, StoredSessions sessions)
            throws IOException;

    /** Applies one entry to the session table, inside the store's unit; returns what changed. */
    @FunctionalInterface
    interface Step {
        SessionChanges run(PayloadApplier application);
    }

    /** The application's apply of a payload, inside the store's unit. */
    @FunctionalInterface
    interface PayloadApplier {
        byte[] apply(long index, byte[] payload);
    }
}
