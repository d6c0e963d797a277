package io.raftbus.kafka;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;

import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a decoded message may reach the local engine (or client), and if not, why:
 * <ul>
 *   <li>another cluster's id: {@link DropCause#FOREIGN_CLUSTER};</li>
 *   <li>addressed to someone else: {@link DropCause#WRONG_RECEIVER};</li>
 *   <li>on a node: a Raft protocol message from a non-member: {@link DropCause#UNKNOWN_SENDER} (CommandRequests are
 *       what clients send, so they pass);</li>
 *   <li>on a client: anything but a CommandResponse from a member ({@link DropCause#UNEXPECTED_TYPE},
 *       {@link DropCause#UNKNOWN_SENDER}).</li>
 * </ul>
 */
final class InboundFilter {

    private final String clusterId;
    private final String localId;
    private final Set<String> members;
    private final boolean localIsMember;

    InboundFilter(String clusterId, String localId, Set<String> members) {
        this.clusterId = clusterId;
        this.localId = localId;
        this.members = Set.copyOf(members);
        this.localIsMember = members.contains(localId);
    }

    /**
     * What an operator should check after a drop of {@code cause}, or an empty string: a sender that is not a member
     * usually means the nodes were started with different member lists.
     */
    String explain(DropCause cause) {
        return switch (cause) {
            case UNKNOWN_SENDER -> "; the members configured here are " + new java.util.TreeSet<>(members)
                    + ": do all nodes run with the same members?";
            case FOREIGN_CLUSTER -> "; this node is in cluster '" + clusterId + "': do two clusters share an inbox?";
            default -> "";
        };
    }

    /** Why {@code message} must be dropped, or empty if it may be delivered. */
    Optional<DropCause> reject(RaftMessage message) {
        if (!clusterId.equals(message.clusterId())) {
            return Optional.of(DropCause.FOREIGN_CLUSTER);
        }
        if (!localId.equals(message.to())) {
            return Optional.of(DropCause.WRONG_RECEIVER);
        }
        boolean fromMember = members.contains(message.from());
        if (localIsMember) {
            if (!fromMember && !(message instanceof CommandRequest)) {
                return Optional.of(DropCause.UNKNOWN_SENDER);
            }
            return Optional.empty();
        }
        if (!(message instanceof CommandResponse)) {
            return Optional.of(DropCause.UNEXPECTED_TYPE);
        }
        return fromMember ? Optional.empty() : Optional.of(DropCause.UNKNOWN_SENDER);
    }
}
