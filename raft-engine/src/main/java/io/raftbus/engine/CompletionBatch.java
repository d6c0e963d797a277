package io.raftbus.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The completions one event-loop iteration decided, in the order decided: futures to complete with a result or a
 * failure, and other tasks (a transfer's or a snapshot's outcome). The loop fills it, then hands the whole batch to
 * the callback thread as one task ({@link Callbacks#run(CompletionBatch)}), which runs it in that order (or, with
 * {@link RaftConfig#completeOnEventLoop()}, runs it itself: {@link DependentsOnLoop}); each item's failure is logged
 * and does not stop the rest. Kept as parallel arrays, so a completed command costs no
 * task object of its own. The loop keeps a second batch for the futures whose callers are blocked on them, which it
 * hands to those callers instead ({@link #handToBlockedCallers}).
 *
 * <p>Batches made by {@link #next} are reused: once run, a batch clears itself and hands itself back through its
 * spare slot, so the loop's next batch is usually a former one with arrays already grown to the load, not a new one.
 * The slot is a small stack (at most {@value #MAX_SPARES} batches, each no larger than {@value #MAX_SPARE_CAPACITY}
 * items): under load the callback thread often runs several handed-over batches back to back while the loop makes
 * new ones, and a single spare would keep only the last of them, so the loop would keep making batches and regrowing
 * their arrays. A batch made anew starts as large as the one handed over before it.
 */
final class CompletionBatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionBatch.class);

    /** A batch with room for more items is not kept for reuse: a burst's arrays are not held forever. */
    static final int MAX_SPARE_CAPACITY = 8192;

    /** Most run batches kept for reuse in one spare slot. */
    static final int MAX_SPARES = 4;

    private final String nodeId;
    /** Where this batch puts itself once run, for {@link #next} to reuse; null: never reused. */
    private final AtomicReference<CompletionBatch> spare;
    /** A {@link CompletableFuture} or a {@link Runnable}, per item. */
    private Object[] targets;
    /** The future's result ({@code byte[]}, or null) or its failure ({@link Throwable}); null for a task. */
    private Object[] values;
    private int size;
    /** Whether every item is the future of a submit or a read ({@link BlockedCallerFuture}); true when empty. */
    private boolean onlySubmitFutures = true;
    /** The spare below this one in its slot's stack, while this one is a spare; written before it is pushed. */
    private CompletionBatch belowInSpares;
    /** How many spares this one's slot held, this one included, when it was pushed. */
    private int sparesDepth;

    /** @param capacity room for this many items before the arrays grow */
    CompletionBatch(String nodeId, int capacity) {
        this(nodeId, capacity, null);
    }

    /** A batch that hands itself back to {@code spare} once run (see {@link #next}); null: never. */
    CompletionBatch(String nodeId, int capacity, AtomicReference<CompletionBatch> spare) {
        this.nodeId = nodeId;
        this.spare = spare;
        int n = Math.max(4, capacity);
        this.targets = new Object[n];
        this.values = new Object[n];
    }

    /**
     * The batch to fill after {@code handedOver} (made by this method or not): a spare a run batch of the same
     * {@code spare} slot handed back, cleared, or else a new one with {@code handedOver}'s capacity (at most
     * {@value #MAX_SPARE_CAPACITY}), which will hand itself back to {@code spare} once run. Called by the one thread
     * that fills the batches (the only one that takes spares), before it hands {@code handedOver} over.
     */
    static CompletionBatch next(String nodeId, CompletionBatch handedOver, AtomicReference<CompletionBatch> spare) {
        CompletionBatch top;
        while ((top = spare.get()) != null) {
            // only this thread pops, so top stays in the stack until this CAS; pushes meanwhile make it fail
            if (spare.compareAndSet(top, top.belowInSpares)) {
                top.belowInSpares = null;
                return top;
            }
        }
        return new CompletionBatch(nodeId, Math.min(handedOver.capacity(), MAX_SPARE_CAPACITY), spare);
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

    /**
     * For a batch of futures whose callers are blocked on them ({@link BlockedCallerFuture#hasWaiter()}): hands each
     * future's outcome to its waiter, which completes it on its own thread; an outcome whose waiter gave up meanwhile
     * goes into {@code fallback}, for the callback thread. Then empties this batch. The loop's; no task may be in it.
     */
    void handToBlockedCallers(CompletionBatch fallback) {
        for (int i = 0; i < size; i++) {
            BlockedCallerFuture future = (BlockedCallerFuture) targets[i];
            Object outcome = values[i];
            targets[i] = null;
            values[i] = null;
            if (future.handToWaiter(outcome)) {
                continue;
            }
            if (outcome instanceof Throwable cause) {
                fallback.fail(future, cause);
            } else {
                fallback.complete(future, (byte[]) outcome);
            }
        }
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Whether every item is the future of a submit or a read ({@link BlockedCallerFuture}): no task (a transfer's or
     * a snapshot's outcome) and no other future (a membership change's), which keep the callback thread.
     */
    boolean onlySubmitFutures() {
        return onlySubmitFutures;
    }

    /** How many items fit before the arrays grow. */
    int capacity() {
        return targets.length;
    }

    /** Runs the items in order, as the callback thread does, then hands this batch back as a spare (if made so). */
    @Override
    public void run() {
        runItems();
        if (spare != null && targets.length <= MAX_SPARE_CAPACITY) {
            clear();
            pushAsSpare();
        }
    }

    /**
     * Runs the items in order on the calling thread, then empties this batch for the same thread to fill again (it is
     * never handed over, so it is not a spare). See {@link DependentsOnLoop}.
     */
    void runHereAndClear() {
        runItems();
        clear();
    }

    @SuppressWarnings("unchecked")
    private void runItems() {
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

    private void clear() {
        Arrays.fill(targets, 0, size, null); // let the futures and results go before the batch is reused
        Arrays.fill(values, 0, size, null);
        size = 0;
        onlySubmitFutures = true;
    }

    /** Pushes this cleared batch onto its spare slot's stack, unless that holds {@value #MAX_SPARES} already. */
    private void pushAsSpare() {
        while (true) {
            CompletionBatch top = spare.get();
            int depth = top == null ? 1 : top.sparesDepth + 1;
            if (depth > MAX_SPARES) {
                return; // enough spares: this one is left to the garbage collector
            }
            belowInSpares = top;
            sparesDepth = depth;
            if (spare.compareAndSet(top, this)) { // publishes the cleared batch to the thread that fills the next
                return;
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
        if (!(target instanceof BlockedCallerFuture)) {
            onlySubmitFutures = false;
        }
    }
}
