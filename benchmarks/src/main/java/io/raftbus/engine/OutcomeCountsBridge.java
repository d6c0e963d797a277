package io.raftbus.engine;

/**
 * Benchmark-only access to the package-private {@link OutcomeCounts}: outcomes counted on the owner thread (the
 * callback thread's path) or on another thread (the {@link java.util.concurrent.atomic.LongAdder} path).
 */
public final class OutcomeCountsBridge {

    private final OutcomeCounts counts;

    /** @param countingOnOwnerThread whether every count takes the owner thread's path */
    public OutcomeCountsBridge(boolean countingOnOwnerThread) {
        counts = new OutcomeCounts(() -> countingOnOwnerThread);
    }

    /** Counts one success, as a completed submit's future does. */
    public void countSuccess() {
        counts.count(NodeMetrics.Outcome.SUCCEEDED);
    }

    /** The successes counted. */
    public long successes() {
        return counts.get(NodeMetrics.Outcome.SUCCEEDED);
    }
}
