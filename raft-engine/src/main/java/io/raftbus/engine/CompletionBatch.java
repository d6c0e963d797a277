package io.raftbus.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The completions one event-loop iteration decided, in the order decided: futures to complete with a result or a
 * failure, and other tasks (a transfer's or a snapshot's outcome). The loop fills it, then hands the whole batch to
 * the callback thread as one task ({@link Callbacks#run(CompletionBatch)}), which runs it in that order; each
 * item's failure is logged and does not stop the rest. Kept as parallel arrays, so a completed command costs no
 * task object of its own.
 */
final class CompletionBatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionBatch.class);

    private final String nodeId;
    /** A {@link CompletableFuture} or a {@link Runnable}, per item. */
    private Object[] targets;
    /** The future's result ({@code byte[]}, or null) or its failure ({@link Throwable}); null for a task. */
    private Object[] values;
    private int size;

    /** @param capacity room for this many items before the arrays grow */
    CompletionBatch(String nodeId, int capacity) {
        this.nodeId = nodeId;
        int n = Math.max(4, capacity);
        this.targets = new Object[n];
        this.values = new Object[n];
    }

    void complete(CompletableFuture<byte[]> future, byte[] result) {
        add(future, result);
    }

    void fail(CompletableFuture<?> future, Throwable cause) {
        add(future, cause);
    }

    /** A task to run in its turn. */
    void add(Runnable task) {
        add(task, null);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        for (int i = 0; i < size; i++) {
            Object target = targets[i];
            Object value = values[i];
            try {
                if (target instanceof CompletableFuture<?> future) {
                    if (value instanceof Throwable cause) {
                        future.completeExceptionally(cause);
                    } else {
                        ((CompletableFuture<byte[]>) future).complete((byte[]) value);
                    }
                } else {
                    ((Runnable) target).run();
                }
            } catch (RuntimeException e) {
                LOG.warn("node {}: a completion callback threw; ignoring it", nodeId, e);
            }
        }
    }

    private void add(Object target, Object value) {
        if (size == targets.length) {
            targets = Arrays.copyOf(targets, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        targets[size] = target;
        values[size] = value;
        size++;
    }
}
