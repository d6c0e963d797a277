package io.raftbus.engine.core;

/** Who is waiting for the result of a committed command. */
public sealed interface Waiter permits Waiter.Local, Waiter.Remote {

    /** A {@code submit} on this node, identified by the proposal id the runtime passed to {@link RaftCore#submit}. */
    record Local(long proposalId) implements Waiter {
    }

    /**
     * An external client (not a cluster member) whose {@link io.raftbus.engine.message.CommandRequest} this leader
     * appended; the runtime answers it with an APPLIED {@link io.raftbus.engine.message.CommandResponse} carrying
     * the state machine's result.
     */
    record Remote(String clientId, long requestId) implements Waiter {
    }
}
