package io.raftbus.engine.core;

import java.util.Objects;

/**
 * One single-server membership change asked of the leader ({@link RaftCore#changeMembership}).
 *
 * @param kind what to do
 * @param nodeId the node it is done to
 */
public record MembershipChange(Kind kind, String nodeId) {

    /** The kinds of change. */
    public enum Kind {
        /** Adds a learner: it receives the log and snapshots, and neither votes nor counts for commitment. */
        ADD_LEARNER,
        /** Makes a learner a voter, once it is within {@code maxLearnerLagEntries} of the leader's last index. */
        PROMOTE,
        /** Adds a learner, then promotes it once it has caught up: done when the promotion commits. */
        ADD_MEMBER,
        /** Removes a voter or a learner. */
        REMOVE
    }

    public MembershipChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("a node id cannot be blank");
        }
    }
}
