package io.raftbus.engine;

/**
 * Observes a {@link RaftNode}'s role, leader and configuration. Register with {@link RaftNode#addListener(RaftListener)}.
 *
 * <p>Callbacks run on the node's completion thread ({@code raftbus-<nodeId>-callbacks}), never on its event loop,
 * one at a time and in the order the node observed the changes. A slow listener delays other callbacks of the same
 * node (future completions included) but never the protocol. Changes are observed once per event-loop iteration, so
 * a quick succession within one iteration (for example FOLLOWER, CANDIDATE, LEADER on a single-node cluster) is
 * reported as one change (FOLLOWER to LEADER). An exception thrown by a listener is logged and otherwise ignored.
 */
public interface RaftListener {

    /**
     * This node's role changed.
     *
     * @param nodeId the node reporting
     * @param from the previous role
     * @param to the new role
     * @param term the node's term after the change
     */
    default void onRoleChange(String nodeId, Role from, Role to, long term) {
    }

    /**
     * The leader this node knows of changed.
     *
     * @param nodeId the node reporting
     * @param leaderId the new leader, or {@code null} when no leader is known (for example during an election)
     * @param term the node's term after the change
     */
    default void onLeaderChange(String nodeId, String leaderId, long term) {
    }

    /**
     * The configuration in force on this node changed (a membership change was appended or undone here, or came with
     * a snapshot). A node that no longer finds itself among {@code voters} or {@code learners} was removed: it takes
     * no further part (it never campaigns) and may be shut down once the change is committed.
     *
     * @param nodeId the node reporting
     * @param voters the voters now
     * @param learners the learners now
     */
    default void onMembershipChange(String nodeId, java.util.Set<String> voters, java.util.Set<String> learners) {
    }

    /**
     * The node stopped on a fatal error (the state machine threw, the log failed permanently, or the protocol core
     * failed): it no longer takes part in the cluster, pending and later submits fail, and the application should
     * alert or restart it. Called once, before the node's pending futures are failed.
     *
     * @param nodeId the node reporting
     * @param error what stopped it; its cause is the original exception
     */
    default void onFatalError(String nodeId, RaftException error) {
    }
}
