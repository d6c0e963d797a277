package io.raftbus.engine.core;

import java.util.Arrays;

/**
 * Majority arithmetic over a fixed set of voters (Raft §5.2, §5.3): how many make a majority, whether a count of
 * votes or acknowledgements reaches it, and the highest value that a majority of voters has reached (the commit index
 * from match indexes, the confirmed read round from echoed rounds). No state beyond the number of voters and a
 * scratch array of one slot per voter ({@link #clearedScratch()}), which lets the leader find the value reached on
 * every acknowledgement without allocating; so, like the core that owns it, not thread-safe.
 */
final class MajorityQuorum {

    private final int voters;
    private final long[] scratch;

    /** A quorum of {@code voters} voters (at least one). */
    MajorityQuorum(int voters) {
        if (voters < 1) {
            throw new IllegalArgumentException("a quorum needs at least one voter, not " + voters);
        }
        this.voters = voters;
        this.scratch = new long[voters];
    }

    /** The number of voters that make a majority: more than half. */
    int size() {
        return voters / 2 + 1;
    }

    /** Whether {@code count} voters (votes granted, followers heard from, this node included) are a majority. */
    boolean isReachedBy(int count) {
        return count >= size();
    }

    /**
     * The highest value that at least a majority of voters has reached, given one value per voter: the
     * {@link #size()}-th largest. {@code values} is not modified.
     */
    long valueReached(long[] values) {
        return valueReachedInPlace(values.clone());
    }

    /**
     * This quorum's scratch array, one slot per voter, all 0: the caller fills it and hands it to
     * {@link #valueReachedInPlace}. The next call clears it again.
     */
    long[] clearedScratch() {
        Arrays.fill(scratch, 0);
        return scratch;
    }

    /** {@link #valueReached}, sorting {@code values} (e.g. the {@link #clearedScratch()}) in place instead of a copy. */
    long valueReachedInPlace(long[] values) {
        if (values.length != voters) {
            throw new IllegalArgumentException("expected one value per voter (" + voters + "), got " + values.length);
        }
        Arrays.sort(values);
        return values[values.length - size()];
    }
}
