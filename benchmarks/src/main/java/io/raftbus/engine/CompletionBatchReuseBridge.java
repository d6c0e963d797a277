package io.raftbus.engine;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark-only access to the event loop's package-private {@link CompletionBatch} reuse (this class shares its
 * package, in the benchmarks jar), on one thread: batches are filled, handed over as the loop does at the end of an
 * iteration, and run when the caller says the callback thread caught up (all those handed over, in order), as a
 * callback thread sometimes still busy with earlier batches at a hand-over would run them; the next batch comes
 * from {@link CompletionBatch#next}, so whether it is a former one with grown arrays or a new one that grows again
 * shows up in the time and the allocation per completion.
 */
public final class CompletionBatchReuseBridge {

    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private final ArrayDeque<CompletionBatch> handedOver = new ArrayDeque<>();
    private CompletionBatch batch = new CompletionBatch("bench", 16, spare);

    /** The loop's completion of one command. */
    public void complete(CompletableFuture<byte[]> future, byte[] result) {
        batch.complete(future, result);
    }

    /**
     * The end of an iteration: the batch handed over, then, if {@code callbackCaughtUp}, every batch handed over so
     * far run in order (at most four wait: the fifth runs them anyway).
     */
    public void flush(boolean callbackCaughtUp) {
        CompletionBatch full = batch;
        batch = CompletionBatch.next("bench", full, spare);
        handedOver.addLast(full);
        if (callbackCaughtUp || handedOver.size() > 4) {
            while (!handedOver.isEmpty()) {
                handedOver.removeFirst().run();
            }
        }
    }
}
