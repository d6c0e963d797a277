package io.raftbus.kafka;

import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;

import java.util.Optional;

/**
 * Decides whether a decoded message may reach the local engine (or client), and if not, why:
 * <ul>
 *   <li>another cluster's id: {@link DropCause#FOREIGN_CLUSTER};</li>
 *   <li>addressed to someone else: {@link DropCause#WRONG_RECEIVER};</li>
 *   <li>on a client: anything but a CommandResponse ({@link DropCause#UNEXPECTED_TYPE}).</li>
 * </ul>
 * On a node, any message of its cluster addressed to it passes, whoever sent it: the members change while the cluster
 * runs (a joining node is in no one's start list, and the leader must hear its answers), so which sender may do what
 * is the engine's decision, against the configurations in its log (votes only from voters; it counts the others as
 * {@code non-member} in the node's status). A client takes a CommandResponse from any node of its cluster, since a
 * member added after the client started may answer it.
 */
final class InboundFilter {

    private final String clusterId;
    private final ClusterMembers members;

    InboundFilter(String clusterId, ClusterMembers members) {
        this.clusterId = clusterId;
        this.members = members;
    }

    /** What an operator should check after a drop of {@code cause}, or an empty string. */
    String explain(DropCause cause) {
        return switch (cause) {
            case FOREIGN_CLUSTER -> "; this node is in cluster '" + clusterId + "': do two clusters share an inbox?";
            case UNEXPECTED_TYPE -> members.localIsNode() ? ""
                    : "; '" + members.localId() + "' is an external client of cluster '" + clusterId + "' (not among"
                    + " the members " + new java.util.TreeSet<>(members.current()) + "), which takes answers to its"
                    + " commands only";
            default -> "";
        };
    }

    /** Why {@code message} must be dropped, or empty if it may be delivered. */
    Optional<DropCause> reject(RaftMessage message) {
        if (!clusterId.equals(message.clusterId())) {
            return Optional.of(DropCause.FOREIGN_CLUSTER);
        }
        if (!members.localId().equals(message.to())) {
            return Optional.of(DropCause.WRONG_RECEIVER);
        }
        if (members.localIsNode() || message instanceof CommandResponse) {
            return Optional.empty();
        }
        return Optional.of(DropCause.UNEXPECTED_TYPE);
    }
}
