package io.raftbus.engine;

import java.util.Map;
import java.util.Set;

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
 * @param voters the voters of the configuration in force on this node (the latest in its log, committed or not)
 * @param learners the learners of that configuration: they receive the log but do not vote
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long lastApplied, long lastLogIndex, Map<String, Long> matchIndex, long snapshotIndex,
                         long firstLogIndex, Set<String> voters, Set<String> learners) {

    public RaftStatus {
        matchIndex = Map.copyOf(matchIndex);
        voters = Set.copyOf(voters);
        learners = Set.copyOf(learners);
    }

    /** A node whose configuration is not known here: no voters or learners listed. */
    public RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex, long lastApplied,
                      long lastLogIndex, Map<String, Long> matchIndex, long snapshotIndex, long firstLogIndex) {
        this(nodeId, role, term, leaderId, commitIndex, lastApplied, lastLogIndex, matchIndex, snapshotIndex,
                firstLogIndex, Set.of(), Set.of());
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

    /** Whether this node votes in the configuration it knows. */
    public boolean isVoter() {
        return voters.contains(nodeId);
    }

    /**
     * Whether this node is not a member (neither voter nor learner) of a configuration it knows: removed, or started
     * to join and not yet added. Such a node never campaigns. False when the configuration is not known here.
     */
    public boolean isNonMember() {
        return !voters.isEmpty() && !voters.contains(nodeId) && !learners.contains(nodeId);
    }

    /** Whether this node is the leader. */
    public boolean isLeader() {
        return role == Role.LEADER;
    }
}
