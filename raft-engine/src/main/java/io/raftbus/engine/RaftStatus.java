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
 * @param snapshotIndex index of the latest durable snapshot (0: none)
 * @param firstLogIndex first index held in the local log (entries before it are compacted into a snapshot); the
 *                      log holds {@code lastLogIndex - firstLogIndex + 1} entries
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long lastApplied, long lastLogIndex, Map<String, Long> matchIndex, long snapshotIndex,
                         long firstLogIndex) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
    }

    /** A node without snapshots: its log starts at index 1. */
    public RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex, long lastApplied,
                      long lastLogIndex, Map<String, Long> matchIndex) {
        this(nodeId, role, term, leaderId, commitIndex, lastApplied, lastLogIndex, matchIndex, 0, 1);
    }

    /** Entries held in the local log. */
    public long logEntries() {
        return lastLogIndex - firstLogIndex + 1;
    }

    /** Whether this node is the leader. */
    public boolean isLeader() {
        return role == Role.LEADER;
    }
}
