package io.raftbus.engine.spi;

/**
 * The application's replicated state. The node applies committed commands in index order, exactly once, from its
 * event-loop thread.
 *
 * <p>A state machine that keeps its state durably (for example in the same database as the log) reports the last
 * index it applied through {@link #lastAppliedIndex()}, and the node resumes applying right after it on restart.
 * An in-memory state machine keeps the default 0 and is rebuilt by re-applying the log.
 */
public interface StateMachine {

    /**
     * Applies a committed command.
     *
     * @param index the command's log index (strictly increasing across calls)
     * @param command the command bytes as submitted
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
}
