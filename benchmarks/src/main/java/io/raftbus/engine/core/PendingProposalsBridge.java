package io.raftbus.engine.core;

/**
 * Benchmark-only access to the engine's package-private {@link PendingProposals} (this class shares its package, in
 * the benchmarks jar), so a JMH benchmark measures the engine's own structure rather than a copy of it.
 */
public final class PendingProposalsBridge {

    private static final long TERM = 3;

    private final PendingProposals pending = new PendingProposals();
    private final PendingProposals.Taken taken = new PendingProposals.Taken();

    /** Registers {@code waiter} for the entry at {@code index}. */
    public void add(long index, Waiter waiter) {
        pending.add(index, waiter, TERM);
    }

    /** Takes the waiters of {@code index}, as the hand-out of committed entries does; returns how many. */
    public int take(long index) {
        pending.take(index, taken);
        int n = taken.size();
        taken.clear();
        return n;
    }
}
