package io.raftbus.engine;

import java.util.Arrays;

/**
 * The outcomes one event-loop iteration decided for futures whose caller is blocked waiting on them
 * ({@link BlockedCallerFuture#hasWaiter()}), kept until the iteration's end, when {@link #wake} hands each to its
 * waiter (after the status is published, as the callback thread's completions are). The loop's own; not
 * thread-safe.
 */
final class BlockedCallers {

    private BlockedCallerFuture[] futures = new BlockedCallerFuture[4];
    /** The outcome per future: a result ({@code byte[]} or null) or a {@link Throwable}. */
    private Object[] outcomes = new Object[4];
    private int size;

    /** Keeps {@code outcome} (a result or a {@link Throwable}) for {@code future}'s waiter. */
    void add(BlockedCallerFuture future, Object outcome) {
        if (size == futures.length) {
            futures = Arrays.copyOf(futures, size * 2);
            outcomes = Arrays.copyOf(outcomes, size * 2);
        }
        futures[size] = future;
        outcomes[size] = outcome;
        size++;
    }

    /**
     * Hands every kept outcome to its future's waiter, which completes the future on its own thread; an outcome whose
     * waiter gave up meanwhile goes into {@code fallback}, for the callback thread. Then forgets them all.
     */
    void wake(CompletionBatch fallback) {
        for (int i = 0; i < size; i++) {
            BlockedCallerFuture future = futures[i];
            Object outcome = outcomes[i];
            futures[i] = null;
            outcomes[i] = null;
            if (!future.handToWaiter(outcome)) {
                if (outcome instanceof Throwable cause) {
                    fallback.fail(future, cause);
                } else {
                    fallback.complete(future, (byte[]) outcome);
                }
            }
        }
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
