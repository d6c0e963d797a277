package io.raftbus.engine.core;

/**
 * Benchmark-only access to the engine's package-private {@link RecentResults} (this class shares its package, in the
 * benchmarks jar), so a JMH benchmark measures the engine's own structure rather than a copy of it.
 */
public final class RecentResultsBridge {

    private final RecentResults results;

    public RecentResultsBridge(int capacity) {
        results = new RecentResults(capacity);
    }

    public void put(long index, byte[] result) {
        results.put(index, result);
    }

    public byte[] get(long index) {
        return results.get(index);
    }
}
