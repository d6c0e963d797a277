package io.raftbus.engine.message;

/**
 * A client command sent to the node believed to be leader: a follower forwarding its own {@code submit}, or an
 * external client (a sender that is not a cluster member). The leader answers with a {@link CommandResponse}.
 *
 * @param term the sender's current term (0 for an external client)
 * @param requestId the sender's id for this request, echoed in the response
 * @param command the command bytes for the state machine
 */
public record CommandRequest(String clusterId, String from, String to, long term,
                             long requestId, byte[] command) implements RaftMessage {
}
