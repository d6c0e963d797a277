package io.raftbus.engine.core;

/**
 * Benchmark-only access to the engine's package-private {@link ProposalDeadlines} (this class shares its package, in
 * the benchmarks jar), so a JMH benchmark measures the engine's own structure rather than a copy.
 */
public final class ProposalDeadlinesBridge {

    private final ProposalDeadlines deadlines = new ProposalDeadlines();

    /** Tracks {@code proposalId} (a command) until {@code deadline}. */
    public void add(long proposalId, long deadline) {
        deadlines.add(proposalId, deadline, false);
    }

    /** Settles {@code proposalId}; whether it was still waiting. */
    public boolean settle(long proposalId) {
        return deadlines.settle(proposalId);
    }

    /** The earliest deadline still waiting. */
    public long earliest() {
        return deadlines.earliest();
    }
}
