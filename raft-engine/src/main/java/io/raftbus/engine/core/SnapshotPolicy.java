package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.Membership;

import java.util.List;
import java.util.function.LongFunction;

/**
 * When this node takes a snapshot of its state machine: once the entries applied since the latest durable snapshot
 * reach {@link RaftConfig#snapshotEveryEntries()}, or their bytes reach {@link RaftConfig#snapshotEveryBytes()}
 * (0: never by that measure), or on demand; one at a time. A failed snapshot is tried again no sooner than
 * {@link RaftConfig#electionTimeoutMaxMs()} of core time later, or once another {@code snapshotEveryEntries} were
 * applied, whichever comes first (an on-demand request does not wait). While this node, leading, is sending a
 * snapshot to a follower that acknowledges it (a live transfer), no snapshot is taken by threshold: the store keeps
 * only the two newest, so a leader snapshotting faster than a slow link carries one would delete the snapshot being
 * sent and start the transfer over, for as long as the load lasts; and the log stays uncompacted past the
 * transferred snapshot, so the follower continues from the log once installed. A stalled transfer (the follower is
 * down) holds nothing back, and a live one ends, so the log cannot grow without bound. Only for a node with a
 * snapshot store.
 */
final class SnapshotPolicy {

    private final RaftConfig config;
    /** The configuration in force at an index (at least the last applied one). */
    private final LongFunction<Membership> membershipAt;
    /** Index of the latest durable snapshot (taken here or installed from the leader); 0: none. */
    private long latestIndex;
    /** Bytes of the entries applied since the latest snapshot (since this node started, if later). */
    private long bytesSinceLatest;
    /** The snapshot being taken: its index and the bytes counted when it was asked for; 0: none. */
    private long takingIndex;
    private long bytesAtTaking;
    /** After a failure: no retry by threshold before this time, unless {@link #retryAfterIndex} is passed. */
    private long retryNotBefore = Long.MIN_VALUE;
    private long retryAfterIndex = Long.MAX_VALUE;
    private boolean onDemand;

    /** A policy whose snapshots carry the configuration in force at their index ({@code membershipAt}). */
    SnapshotPolicy(RaftConfig config, LongFunction<Membership> membershipAt, long latestIndex) {
        this.config = config;
        this.membershipAt = membershipAt;
        this.latestIndex = latestIndex;
    }

    long latestIndex() {
        return latestIndex;
    }

    /** Index of the snapshot being taken, or 0. */
    long takingIndex() {
        return takingIndex;
    }

    /** Counts the bytes of entries handed out for applying. */
    void applied(CommittedEntries committed) {
        for (int i = 0; i < committed.size(); i++) {
            bytesSinceLatest += committed.entry(i).sizeBytes();
        }
    }

    /**
     * The snapshot to ask the host for now, at the last applied index ({@code lastApplied} of {@code term}), or
     * null; none by threshold while {@code sendingSnapshot} (a live transfer to a follower). Once asked for, it is
     * being taken until {@link #taken} or {@link #failed}.
     */
    SnapshotRequest next(long lastApplied, long term, long now, boolean sendingSnapshot) {
        if (takingIndex != 0 || lastApplied <= latestIndex) {
            return null;
        }
        if (!onDemand && (sendingSnapshot || !(thresholdReached(lastApplied)
                && (now >= retryNotBefore || lastApplied >= retryAfterIndex)))) {
            return null;
        }
        onDemand = false;
        takingIndex = lastApplied;
        bytesAtTaking = bytesSinceLatest;
        return new SnapshotRequest(lastApplied, term, membershipAt.apply(lastApplied));
    }

    private boolean thresholdReached(long lastApplied) {
        return (config.snapshotEveryEntries() > 0 && lastApplied - latestIndex >= config.snapshotEveryEntries())
                || (config.snapshotEveryBytes() > 0 && bytesSinceLatest >= config.snapshotEveryBytes());
    }

    /**
     * Asks for a snapshot at the next chance regardless of the thresholds; returns false (and asks nothing) if one is
     * being taken or nothing was applied since the latest.
     */
    boolean requestNow(long lastApplied) {
        if (takingIndex != 0 || lastApplied <= latestIndex) {
            return false;
        }
        onDemand = true;
        return true;
    }

    /** A snapshot at {@code index} is durable (taken here, or one being taken finished). */
    void taken(long index) {
        if (index == takingIndex) {
            takingIndex = 0;
            bytesSinceLatest = Math.max(0, bytesSinceLatest - bytesAtTaking);
        }
        if (index > latestIndex) {
            latestIndex = index;
        }
        retryNotBefore = Long.MIN_VALUE;
        retryAfterIndex = Long.MAX_VALUE;
    }

    /** The snapshot being taken at {@code index} failed: a later one is tried after the back-off. */
    boolean failed(long index, long now) {
        if (index != takingIndex) {
            return false;
        }
        takingIndex = 0;
        retryNotBefore = now + config.electionTimeoutMaxMs();
        retryAfterIndex = config.snapshotEveryEntries() > 0 ? index + config.snapshotEveryEntries() : Long.MAX_VALUE;
        return true;
    }

    /** A snapshot at {@code index} was installed from the leader: the state starts over from it. */
    void installed(long index) {
        if (index > latestIndex) {
            latestIndex = index;
            bytesSinceLatest = 0;
            bytesAtTaking = 0;
        }
    }
}
