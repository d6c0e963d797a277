package io.raftbus.engine.core;

/**
 * A leader's view of one follower's replication (etcd-style). In {@link State#PROBE} the leader has one
 * AppendEntries outstanding at {@code next} and waits for its answer (resending on the heartbeat); after a success it
 * switches to {@link State#PIPELINE} and sends further batches optimistically, advancing {@code next}, with at most
 * a bounded number unacknowledged. In {@link State#SNAPSHOT} the follower needs entries this leader's log no longer
 * holds, and is sent the latest snapshot in chunks ({@link #snapshot}, {@link SnapshotSender}) until it has
 * installed it; then probing resumes after the snapshot's index.
 */
final class FollowerProgress {

    enum State { PROBE, PIPELINE, SNAPSHOT }

    final String id;
    /** Highest index known replicated on the follower (only grows within a leader's term). */
    long match;
    /** Next index to send. */
    long next;
    State state = State.PROBE;
    /** In PROBE: a probe is outstanding, so new entries wait for its answer or the next heartbeat. */
    boolean probeOutstanding;
    /** Highest commit index this follower can have learned from what was sent to it. */
    long commitSent;
    /**
     * The commit index this follower waits to learn (a command it forwarded, accepted at that index; the read index
     * of a read it forwarded): until it was sent that much, commit notices go to it at once, not after
     * {@link io.raftbus.engine.RaftConfig#commitNoticeDelayMs()}.
     */
    long awaitedCommit;
    /** The highest read-confirmation round this follower has echoed in this term (ReadIndex). */
    long echoedReadRound;
    /** When the leader last heard from this follower in the current term (for CheckQuorum). */
    long lastHeardAt = Long.MIN_VALUE;
    final Inflights inflights;
    /** In SNAPSHOT: the snapshot being sent and how far; else null. */
    SnapshotTransfer snapshot;
    /** The configuration {@link #voterFlag} was looked up in (null: not yet). */
    private ConfigView voterFlagOf;
    private boolean voterFlag;

    FollowerProgress(String id, long next, int maxInflight) {
        this.id = id;
        this.next = next;
        this.inflights = new Inflights(maxInflight);
    }

    /**
     * Whether this follower is owed a commit notice: it is pipelining and holds entries up to a commit index higher
     * than any sent to it (a follower learns min(leader commit, last entry from this leader)).
     */
    boolean commitNoticeOwed(long commitIndex) {
        return state == State.PIPELINE && Math.min(commitIndex, match) > commitSent;
    }

    /** Whether it waits for a commit index not sent to it yet (see {@link #awaitedCommit}). */
    boolean awaitsCommit() {
        return awaitedCommit > commitSent;
    }

    /** Records an acknowledged match index; returns whether it advanced. */
    boolean updateMatch(long matchIndex) {
        if (matchIndex <= match) {
            return false;
        }
        match = matchIndex;
        next = Math.max(next, matchIndex + 1);
        inflights.freeThrough(matchIndex);
        return true;
    }

    void becomeProbe(long nextIndex) {
        state = State.PROBE;
        next = nextIndex;
        probeOutstanding = false;
        inflights.clear();
        snapshot = null;
    }

    void becomePipeline() {
        state = State.PIPELINE;
        next = match + 1;
        probeOutstanding = false;
        inflights.clear();
        snapshot = null;
    }

    /** Starts sending a snapshot: no AppendEntries goes to this follower until it has installed it. */
    void becomeSnapshot(SnapshotTransfer transfer) {
        state = State.SNAPSHOT;
        probeOutstanding = false;
        inflights.clear();
        snapshot = transfer;
    }

    /**
     * Whether this follower votes in {@code view}: looked up once per configuration and kept, since a leader asks on
     * every acknowledgement and a {@link ConfigView} never changes (a new configuration is a new view).
     */
    boolean isVoterIn(ConfigView view) {
        if (view != voterFlagOf) {
            voterFlag = view.isVoter(id);
            voterFlagOf = view;
        }
        return voterFlag;
    }

    boolean heardWithin(long now, long windowMs) {
        return lastHeardAt != Long.MIN_VALUE && now - lastHeardAt <= windowMs;
    }

    @Override
    public String toString() {
        return id + "[" + state + " match=" + match + " next=" + next + " inflight=" + inflights.size()
                + (snapshot == null ? "" : " " + snapshot) + "]";
    }
}
