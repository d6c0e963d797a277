package io.raftbus.engine;

import io.raftbus.engine.spi.SnapshotInfo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link RaftNode#takeSnapshot()} calls waiting on the event loop, each for a durable snapshot at or past the
 * index the node had applied when it was called. Not thread-safe (the event loop's).
 */
final class SnapshotWaiters {

    private record Waiter(long index, CompletableFuture<SnapshotInfo> result) {
    }

    private final List<Waiter> waiting = new ArrayList<>();

    void add(long index, CompletableFuture<SnapshotInfo> result) {
        waiting.add(new Waiter(index, result));
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Whether some waiter needs a snapshot past {@code index}. */
    boolean needMoreThan(long index) {
        return waiting.stream().anyMatch(w -> w.index > index);
    }

    /** Completes (through {@code completions}) every waiter that {@code latest} satisfies. */
    void serve(SnapshotInfo latest, Consumer<Runnable> completions) {
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (latest.index() >= w.index) {
                it.remove();
                completions.accept(() -> w.result.complete(latest));
            }
        }
    }

    /** Fails every waiter with {@code cause} (through {@code completions}). */
    void failAll(Throwable cause, Consumer<Runnable> completions) {
        for (Waiter w : waiting) {
            completions.accept(() -> w.result.completeExceptionally(cause));
        }
        waiting.clear();
    }
}
