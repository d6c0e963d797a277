package io.raftbus.engine.spi;

import java.io.IOException;
import java.io.InputStream;

/**
 * The application's replicated state. The node applies committed commands in index order, exactly once, from its
 * event-loop thread.
 *
 * <p>A state machine that keeps its state durably (for example in the same database as the log) reports the last
 * index it applied through {@link #lastAppliedIndex()}, and the node resumes applying right after it on restart.
 * An in-memory state machine keeps the default 0 and is rebuilt by re-applying the log, or (with snapshots) from the
 * latest snapshot and then the log after it.
 *
 * <p>Snapshots: a state machine that implements {@link #captureSnapshot()} and {@link #restoreSnapshot} lets a node
 * with a {@link SnapshotStore} compact its log and catch up followers that fell far behind. The defaults refuse.
 */
public interface StateMachine {

    /**
     * Applies a committed command.
     *
     * @param index the command's log index (strictly increasing across calls)
     * @param command the command bytes as submitted: the log entry's own array (logs may hand the same array out
     *     again, to send the entry to a follower that is catching up), so read it, never modify it
     * @return the result handed to the submitter's future (may be empty, never null)
     */
    byte[] apply(long index, byte[] command);

    /**
     * Answers a read-only query for {@code RaftNode.read}: linearizable, since the node calls it (on its event-loop
     * thread) only once it has confirmed leadership and applied every entry committed before the read arrived
     * (ReadIndex, thesis §6.4), without writing a log entry. Must not change the state. Throwing fails that read only.
     *
     * @throws UnsupportedOperationException by default: this state machine answers no queries
     */
    default byte[] query(byte[] query) {
        throw new UnsupportedOperationException(getClass().getName() + " answers no queries: implement"
                + " StateMachine.query to use RaftNode.read");
    }

    /** The last index this state machine has durably applied; 0 for an in-memory state machine. */
    default long lastAppliedIndex() {
        return 0;
    }

    /**
     * Captures the state as of the last applied index, on the event loop, quickly: the returned view is written out
     * later on the snapshot thread ({@link StateSnapshot#writeTo}) while the event loop applies further entries, so
     * it must not see them (copy-on-write structures, a database read snapshot or backup).
     *
     * @throws UnsupportedOperationException by default: this state machine takes no snapshots
     */
    default StateSnapshot captureSnapshot() {
        throw new UnsupportedOperationException(getClass().getName() + " takes no snapshots: implement"
                + " StateMachine.captureSnapshot and restoreSnapshot to use a SnapshotStore");
    }

    /**
     * Replaces the whole state with the one in {@code in}, a snapshot covering every entry up to
     * {@code snapshot.index()} (written by {@link StateSnapshot#writeTo} on this node or another). Called on the event
     * loop, at start and when the leader sent a snapshot; the next entry applied is {@code snapshot.index() + 1}. A
     * durable state machine reports {@code snapshot.index()} as its {@link #lastAppliedIndex()} afterwards.
     *
     * @throws UnsupportedOperationException by default: this state machine takes no snapshots
     */
    default void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " cannot restore snapshots: implement"
                + " StateMachine.captureSnapshot and restoreSnapshot to use a SnapshotStore");
    }
}
