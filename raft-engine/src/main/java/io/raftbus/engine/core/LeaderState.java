package io.raftbus.engine.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What only a leader knows, for one term: the replication progress of each follower, the linearizable reads waiting
 * on it and the latest read-confirmation round, the leadership transfer under way (if any), the heartbeat and
 * CheckQuorum deadlines, the index of its term's no-op, and the membership work of the term (a learner to promote
 * once it catches up, a hand-over begun because this leader was removed). {@link RaftCore} creates one (with its
 * {@link Leader})
 * when this node becomes leader and drops it when it steps down, so none of it can outlive the term it belongs to.
 */
final class LeaderState {

    /** A leadership transfer under way (thesis §3.10). */
    private record Transfer(String target, boolean picked, long startedAt, long deadline) {
    }

    private final long termFirstIndex;
    private final Map<String, FollowerProgress> progress = new TreeMap<>();
    /** {@link #progress}'s values in id order, replaced (never changed in place) whenever a follower comes or goes. */
    private FollowerProgress[] inOrder;
    private final ReadIndexQueue reads = new ReadIndexQueue();
    private long readRound;
    private long nextHeartbeatAt;
    private long nextQuorumCheckAt;
    /** When owed commit notices are sent ({@link io.raftbus.engine.RaftConfig#commitNoticeDelayMs()}); MAX: none. */
    private long commitNoticesDueAt = Long.MAX_VALUE;
    private Transfer transfer;
    /** An addMember waiting for its learner to catch up, to be promoted then; null if none. */
    private Promotion promotion;
    /** This leader was removed and began handing leadership over. */
    private boolean removalHandOverStarted;

    /** A learner added by an addMember proposal, to be promoted once it catches up. */
    record Promotion(String learner, long proposalId) {
    }

    /**
     * A leader whose no-op is at {@code termFirstIndex}: every follower is probed from there, with at most
     * {@code maxInflight} pipelined appends unacknowledged once it matches. Read rounds continue from
     * {@code lastReadRound}, the last round this node started as leader of an earlier term (round numbers never go
     * back while the node runs).
     */
    LeaderState(long termFirstIndex, List<String> followers, int maxInflight, long nextHeartbeatAt,
                long nextQuorumCheckAt, long lastReadRound) {
        this.termFirstIndex = termFirstIndex;
        this.readRound = lastReadRound;
        for (String id : followers) {
            progress.put(id, new FollowerProgress(id, termFirstIndex, maxInflight));
        }
        this.inOrder = progress.values().toArray(new FollowerProgress[0]);
        this.nextHeartbeatAt = nextHeartbeatAt;
        this.nextQuorumCheckAt = nextQuorumCheckAt;
    }

    /** Index of this leader's no-op: reads wait until the commit index reaches it (thesis §6.4, step 1). */
    long termFirstIndex() {
        return termFirstIndex;
    }

    /** When owed commit notices are due, or {@link Long#MAX_VALUE} if none is scheduled. */
    long commitNoticesDueAt() {
        return commitNoticesDueAt;
    }

    /** Schedules owed commit notices at {@code at}, unless they are due sooner already. */
    void scheduleCommitNotices(long at) {
        commitNoticesDueAt = Math.min(commitNoticesDueAt, at);
    }

    /** No commit notice is owed any more (sent, or carried by AppendEntries). */
    void commitNoticesDone() {
        commitNoticesDueAt = Long.MAX_VALUE;
    }

    /**
     * Every follower's progress, in id order, as an array so that walking it allocates nothing (it is walked per
     * message and per heartbeat). Callers must not change it; a change of followers replaces it, so an array taken
     * before stays as it was.
     */
    FollowerProgress[] followers() {
        return inOrder;
    }

    /**
     * Makes the followers exactly {@code ids}: new ones are probed from {@code next}, those no longer listed are
     * dropped (a transfer to one of them ends). Returns the ids added.
     */
    List<String> syncFollowers(Collection<String> ids, long next, int maxInflight) {
        Set<String> wanted = new HashSet<>(ids);
        boolean changed = progress.keySet().removeIf(id -> !wanted.contains(id));
        if (transfer != null && !wanted.contains(transfer.target())) {
            transfer = null;
        }
        List<String> added = new java.util.ArrayList<>();
        for (String id : ids) {
            if (!progress.containsKey(id)) {
                progress.put(id, new FollowerProgress(id, next, maxInflight));
                added.add(id);
            }
        }
        if (changed || !added.isEmpty()) {
            inOrder = progress.values().toArray(new FollowerProgress[0]);
        }
        return added;
    }

    /** The addMember waiting for its learner to catch up, or null. */
    Promotion promotion() {
        return promotion;
    }

    void setPromotion(Promotion promotion) {
        this.promotion = promotion;
    }

    boolean removalHandOverStarted() {
        return removalHandOverStarted;
    }

    void startRemovalHandOver() {
        removalHandOverStarted = true;
    }

    /** The progress of follower {@code id}, or null if it is not a follower. */
    FollowerProgress follower(String id) {
        return progress.get(id);
    }

    /** The linearizable reads waiting on this leader. */
    ReadIndexQueue reads() {
        return reads;
    }

    /** The latest read-confirmation round started. */
    long readRound() {
        return readRound;
    }

    /** Starts the next read-confirmation round; returns its number. */
    long nextReadRound() {
        return ++readRound;
    }

    boolean heartbeatDue(long now) {
        return now >= nextHeartbeatAt;
    }

    void scheduleHeartbeat(long at) {
        nextHeartbeatAt = at;
    }

    /** When the next heartbeat is due. */
    long nextHeartbeatAt() {
        return nextHeartbeatAt;
    }

    /** When the next CheckQuorum is due (if CheckQuorum is on). */
    long nextQuorumCheckAt() {
        return nextQuorumCheckAt;
    }

    boolean quorumCheckDue(long now) {
        return now >= nextQuorumCheckAt;
    }

    void scheduleQuorumCheck(long at) {
        nextQuorumCheckAt = at;
    }

    // ---------------------------------------------------------------------------------------------- transfer

    /** Whether leadership is being handed over; meanwhile new commands and reads are refused. */
    boolean transferring() {
        return transfer != null;
    }

    /** The follower leadership is being handed to, or null when no transfer is under way. */
    String transferTarget() {
        return transfer == null ? null : transfer.target();
    }

    /** Starts handing leadership to {@code target}; {@code picked}: chosen here, not named by the caller. */
    void startTransfer(String target, boolean picked, long now, long deadline) {
        transfer = new Transfer(target, picked, now, deadline);
    }

    /** Hands leadership to {@code target} instead, keeping the transfer's start and deadline. */
    void retargetTransfer(String target) {
        transfer = new Transfer(target, transfer.picked(), transfer.startedAt(), transfer.deadline());
    }

    /** Whether the target was picked here (not named by the caller): another may be picked if it does not answer. */
    boolean transferTargetPicked() {
        return transfer.picked();
    }

    long transferStartedAt() {
        return transfer.startedAt();
    }

    long transferDeadline() {
        return transfer.deadline();
    }

    /** The transfer completed, failed or was abandoned: this node leads on. */
    void endTransfer() {
        transfer = null;
    }
}
