package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark-only access to the event loop's package-private {@link PendingFutures} and {@link CompletionBatch} (this
 * class shares their package, in the benchmarks jar), so a JMH benchmark measures the engine's own structures.
 */
public final class CompletionHandOffBridge {

    private final PendingFutures pending = new PendingFutures();
    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private CompletionBatch batch = new CompletionBatch("bench", 16, spare);

    /** Keeps {@code future} as the one of {@code proposalId}, as the loop does when the core takes a submit. */
    public void put(long proposalId, CompletableFuture<byte[]> future) {
        pending.put(proposalId, future);
    }

    /** The loop's completion of a command: the future found by id, its completion added to the batch. */
    public void complete(long proposalId, byte[] result) {
        CompletableFuture<byte[]> future = pending.remove(proposalId);
        if (future != null) {
            batch.complete(future, result);
        }
    }

    /**
     * The end of an iteration: the batch handed over (here: run on this thread, after which it is the spare), the
     * next one the spare the last run handed back, as in the event loop.
     */
    public void flush() {
        CompletionBatch full = batch;
        batch = CompletionBatch.next("bench", full, spare);
        full.run();
    }
}
