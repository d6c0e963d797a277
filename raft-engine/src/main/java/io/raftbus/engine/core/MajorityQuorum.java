package io.raftbus.engine.core;

import java.util.Arrays;

/**
 * Majority arithmetic over a fixed set of voters (Raft §5.2, §5.3): how many make a majority, whether a count of
 * votes or acknowledgements reaches it, and the highest value that a majority of voters has reached (the commit index
 * from match indexes, the confirmed read round from echoed rounds). Pure: no state beyond the number of voters.
 */
final class MajorityQuorum {

    private final int voters;

    /** A quorum of {@code voters} voters (at least one). */
    MajorityQuorum(int voters) {
        if (voters < 1) {
            throw new IllegalArgumentException("a quorum needs at least one voter, not " + voters);
        }
        this.voters = voters;
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
        if (values.length != voters) {
            throw new IllegalArgumentException("expected one value per voter (" + voters + "), got " + values.length);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - size()];
    }
}
