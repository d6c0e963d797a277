package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Membership;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol as a deterministic, single-threaded state machine. No threads, sleeps, wall clock, ambient
 * randomness or I/O of its own: time is handed in through {@link #tick(long)}, randomness through the injected
 * {@link RandomGenerator}, and durable state is written through the {@link LogAPI} synchronously, before any message
 * that depends on it is emitted. Effects come out through {@link #ready()}.
 *
 * <p>Not thread-safe: one thread (the node's event loop, or the simulation) owns an instance.
 */
public final class RaftCore {

    /**
     * Creates the core of a node, loading its term, vote and log from {@code log}.
     *
     * @param nodeId this node's id, a member of {@code membership}
     * @param clusterId the cluster id stamped on every outgoing message and checked on every incoming one
     * @param membership the cluster's voters
     * @param config protocol settings
     * @param log durable storage; the core writes through it synchronously
     * @param lastApplied the state machine's {@link io.raftbus.engine.spi.StateMachine#lastAppliedIndex()}: entries up
     *                    to it are committed and applied already, and are not handed out again
     * @param random the only source of randomness (election timeouts)
     * @param nowMs the current time on the caller's monotonic clock, in milliseconds
     */
    public RaftCore(String nodeId, String clusterId, Membership membership, RaftConfig config, LogAPI log,
                    long lastApplied, RandomGenerator random, long nowMs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Advances the core's clock to {@code nowMs} (monotonic; never earlier than before) and fires due timers. */
    public void tick(long nowMs) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Handles one inbound message. Messages for another cluster, or not addressed to this node, are counted. */
    public void receive(RaftMessage message) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Proposes a client command. On the leader the command is appended (durably) and replicated; on a follower it
     * is forwarded to the leader if so configured. The outcome arrives later through {@link #ready()} as a
     * {@link Waiter.Local} on a {@link CommittedEntry}, or as a {@link ProposalFailure}.
     *
     * @param proposalId the caller's id for this proposal, unique on this node
     * @throws io.raftbus.engine.NotLeaderException not the leader and not forwarding (or no leader known)
     * @throws io.raftbus.engine.BackpressureException too many commands pending
     * @throws io.raftbus.engine.CommandTooLargeException command larger than allowed
     */
    public void submit(long proposalId, byte[] command) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Drains the effects produced since the last call. */
    public Ready ready() {
        throw new UnsupportedOperationException("TODO");
    }

    /** This node's current status. */
    public RaftStatus status() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Counts of inbound messages dropped, by cause (for example {@code "foreign-cluster"}, {@code "wrong-receiver"},
     * {@code "non-member"}).
     */
    public Map<String, Long> dropCounts() {
        throw new UnsupportedOperationException("TODO");
    }
}
