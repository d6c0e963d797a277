package io.raftbus.engine;

/**
 * The command was sent to a node that is not the leader (and forwarding is off, or no leader is known). Nothing was
 * appended; it is safe to retry, preferably at {@link #leaderId()}.
 */
public class NotLeaderException extends RetriableCommandException {

    private final String leaderId;

    public NotLeaderException(String nodeId, String leaderId) {
        super("node " + nodeId + " is not the leader" + (leaderId == null ? "; no leader is known right now"
                : "; the leader is " + leaderId));
        this.leaderId = leaderId;
    }

    /** The leader this node knows of, or {@code null} if none is known right now. */
    public String leaderId() {
        return leaderId;
    }
}
