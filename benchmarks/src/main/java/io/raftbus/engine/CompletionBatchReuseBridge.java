package io.raftbus.engine;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark-only access to the event loop's package-private {@link CompletionBatch} reuse (this class shares its
 * package, in the benchmarks jar), on one thread: batches are filled, handed over as the loop does at the end of an
 * iteration, and run {@code lag} hand-overs later, as a callback thread that is still busy with the previous batch
 * would run them; the next batch comes from {@link CompletionBatch#next}, so whether it is a former one with grown
 * arrays or a new one that grows again shows up in the time and the allocation per completion.
 */
public final class CompletionBatchReuseBridge {

    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private final ArrayDeque<CompletionBatch> handedOver = new ArrayDeque<>();
    private final int lag;
    private CompletionBatch batch = new CompletionBatch("bench", 16, spare);

    /** @param lag how many hand-overs later a handed-over batch runs (0: at once) */
    public CompletionBatchReuseBridge(int lag) {
        this.lag = lag;
    }

    /** The loop's completion of one command. */
    public void complete(CompletableFuture<byte[]> future, byte[] result) {
        batch.complete(future, result);
    }

    /** The end of an iteration: the batch handed over, the oldest handed-over batch run once {@code lag} wait. */
    public void flush() {
        CompletionBatch full = batch;
        batch = CompletionBatch.next("bench", full, spare);
        handedOver.addLast(full);
        while (handedOver.size() > lag) {
            handedOver.removeFirst().run();
        }
    }
}
