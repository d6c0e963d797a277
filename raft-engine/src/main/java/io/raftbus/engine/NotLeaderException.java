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

    private NotLeaderException(String message) {
        super(message);
        this.leaderId = null;
    }

    /** The node is the leader but is handing leadership to {@code target}: retry shortly, preferably there. */
    public static NotLeaderException transferring(String nodeId, String target) {
        return new NotLeaderException("node " + nodeId + " is handing leadership to " + target
                + "; retry shortly (no leader is known until " + target + " is elected)");
    }

    /** The leader this node knows of, or {@code null} if none is known right now. */
    public String leaderId() {
        return leaderId;
    }
}
