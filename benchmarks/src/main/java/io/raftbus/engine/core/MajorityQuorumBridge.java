package io.raftbus.engine.core;

/**
 * Benchmark-only access to the core's package-private {@link MajorityQuorum} (this class shares its package, in the
 * benchmarks jar): the value a majority reached, found as {@code Leader.reachedByMajority} finds it on every
 * acknowledgement (the quorum's scratch array filled with the leader's own value and its followers').
 */
public final class MajorityQuorumBridge {

    private final MajorityQuorum quorum;

    /** A quorum of {@code voters} voters. */
    public MajorityQuorumBridge(int voters) {
        this.quorum = new MajorityQuorum(voters);
    }

    /** The highest of {@code values} (one per voter) that a majority reached. */
    public long reached(long[] values) {
        long[] scratch = quorum.clearedScratch();
        System.arraycopy(values, 0, scratch, 0, values.length);
        return quorum.valueReachedInPlace(scratch);
    }
}
