package io.raftbus.engine;

import java.util.Map;

/**
 * A point-in-time view of one node.
 *
 * @param nodeId this node
 * @param role current role
 * @param term current term
 * @param leaderId the leader of {@code term} as far as this node knows, or {@code null}
 * @param commitIndex highest index known committed
 * @param lastApplied highest index applied to the state machine
 * @param lastLogIndex last index in the local log
 * @param matchIndex on the leader, each follower's match index; empty otherwise
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long lastApplied, long lastLogIndex, Map<String, Long> matchIndex) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
    }

    /** Whether this node is the leader. */
    public boolean isLeader() {
        return role == Role.LEADER;
    }
}
