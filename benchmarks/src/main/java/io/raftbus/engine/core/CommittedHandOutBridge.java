package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * Benchmark-only access to the engine's package-private construction of {@link CommittedEntries} (this class shares
 * its package, in the benchmarks jar), so a JMH benchmark measures the engine's own hand-out rather than a copy.
 */
public final class CommittedHandOutBridge {

    private CommittedHandOutBridge() {
    }

    /**
     * Hands {@code entries} out as the core does since the fourth increment of issue 12 (one range, the waiters in
     * one array), then walks it as {@link ReadyHandler} does; returns a sum of what was read, so nothing is elided.
     */
    public static long handOutAndWalk(List<LogEntry> entries, Waiter[] waiters) {
        CommittedEntries range = new CommittedEntries(entries);
        for (int i = 0; i < entries.size(); i++) {
            range.addWaiter(i, waiters[i]);
        }
        long sum = 0;
        for (int i = 0; i < range.size(); i++) {
            sum += range.entry(i).index();
            for (int k = 0; k < range.waiterCount(i); k++) {
                sum += ((Waiter.Local) range.waiter(i, k)).proposalId();
            }
        }
        return sum;
    }
}
