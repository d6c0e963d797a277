package io.raftbus.engine.core;

import io.raftbus.engine.RaftException;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotInfo;

/**
 * Internal: what a {@link ReadyHandler} needs from its host to carry out a {@link Ready}: the node runtime's event loop
 * (transport, state machine, client futures) or the simulation (its network, its model state machine and its
 * invariant checks). The handler decides the order and the answers; the host only performs each step.
 */
public interface ReadyEffects {

    /** Sends a message (it never blocks; an undeliverable message is lost, as the network may lose any). */
    void send(RaftMessage message);

    /**
     * Applies a committed entry, called for every entry in index order, exactly once. A
     * {@link io.raftbus.engine.spi.EntryType#COMMAND} entry goes to the state machine and its result is returned (null
     * for none); other entries only advance what the host has applied (their return value is ignored).
     */
    byte[] apply(LogEntry entry);

    /**
     * Runs a confirmed read's query against the state machine, which has applied the read index. May throw: that
     * read then fails (or is answered REJECTED), and nothing else.
     */
    byte[] query(byte[] query);

    /** A local command proposal completed: its command is applied at {@code index}, with this result. */
    void completeCommand(long proposalId, long index, byte[] result);

    /** A local read proposal was served at {@code readIndex}, with this result. */
    void completeRead(long proposalId, long readIndex, byte[] result);

    /** A local proposal failed; the exception says whether it was certainly not applied. */
    void fail(long proposalId, RaftException cause);

    /** This node's current term, stamped on the answers to remote waiters. */
    long term();

    /**
     * Replaces the state machine's state with {@code snapshot}'s (installed from the leader and durable in the
     * snapshot store); the next entry applied follows its index.
     *
     * @throws UnsupportedOperationException by default: a host without snapshots never gets one
     */
    default void restoreSnapshot(SnapshotInfo snapshot) {
        throw new UnsupportedOperationException("this host does not restore snapshots (" + snapshot + ")");
    }

    /**
     * Captures the state machine's state now (every entry up to {@code request.index()} is applied) and writes it to
     * the snapshot store off the event loop; reports the outcome to the core later
     * ({@link RaftCore#snapshotTaken}, {@link RaftCore#snapshotFailed}).
     *
     * @throws UnsupportedOperationException by default: a host without snapshots is never asked
     */
    default void takeSnapshot(SnapshotRequest request) {
        throw new UnsupportedOperationException("this host takes no snapshots (" + request + ")");
    }
}
