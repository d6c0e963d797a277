package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Benchmark-only access to the runtime's package-private {@link PendingFutures} (this class shares its package, in
 * the benchmarks jar), so a JMH benchmark measures the loop's own table rather than a copy.
 */
public final class PendingFuturesBridge {

    private final PendingFutures futures = new PendingFutures();

    /** Keeps {@code future} for {@code proposalId}. */
    public void put(long proposalId, CompletableFuture<byte[]> future) {
        futures.put(proposalId, future);
    }

    /** Removes and returns the future of {@code proposalId}. */
    public CompletableFuture<byte[]> remove(long proposalId) {
        return futures.remove(proposalId);
    }
}
