package io.raftbus.engine.message;

/**
 * A client command sent to the node believed to be leader: a follower forwarding its own {@code submit}, or an
 * external client (a sender that is not a cluster member). The leader answers with a {@link CommandResponse}.
 *
 * @param term the sender's current term (0 for an external client)
 * @param requestId the sender's id for this request, echoed in the response
 * @param command the command bytes for the state machine (for a read: the query)
 * @param read a linearizable read ({@code StateMachine.query}), served by the leader without a log entry
 *             (ReadIndex, thesis §6.4) and answered with APPLIED carrying the query's result
 */
public record CommandRequest(String clusterId, String from, String to, long term,
                             long requestId, byte[] command, boolean read) implements RaftMessage {

    /** A command (not a read). */
    public CommandRequest(String clusterId, String from, String to, long term, long requestId, byte[] command) {
        this(clusterId, from, to, term, requestId, command, false);
    }
}
