package io.raftbus.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The future of a submit or a read: counts its outcome in {@link NodeMetrics} before completing, so that whoever
 * sees it completed (a {@code join}, a dependent stage) also sees the count. The first completion counts, whoever
 * makes it (the node, or a caller's {@code completeExceptionally} or {@code orTimeout}), and only it: two threads
 * completing at once race for one flag, and the loser neither counts nor completes (it returns false, as a
 * completion of a done future does). {@code cancel} is not counted (a cancel racing a completion that already won the
 * flag may still win the future: that outcome is then counted though the future shows cancelled). Dependent stages
 * are plain {@link CompletableFuture}s. Extended by {@link BlockedCallerFuture} (a caller blocked in
 * {@code get}/{@code join} woken by the event loop) and, through it, {@link NodeEvent.Submit}, which is the future of
 * the proposal it carries.
 */
class OutcomeCountingFuture extends CompletableFuture<byte[]> {

    private static final VarHandle COMPLETING;

    static {
        try {
            COMPLETING = MethodHandles.lookup().findVarHandle(OutcomeCountingFuture.class, "completing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Consumer<Throwable> countOutcome;
    /** 0 until a completion claims the right to count and complete (1). */
    @SuppressWarnings("unused") // through COMPLETING
    private volatile int completing;

    /** @param countOutcome told null for a success, else the exception, once, just before the future completes */
    OutcomeCountingFuture(Consumer<Throwable> countOutcome) {
        this.countOutcome = countOutcome;
    }

    @Override
    public final boolean complete(byte[] value) {
        if (!claim()) {
            return false;
        }
        countOutcome.accept(null);
        boolean completed = super.complete(value);
        afterCompletion();
        return completed;
    }

    @Override
    public final boolean completeExceptionally(Throwable error) {
        if (!claim()) {
            return false;
        }
        countOutcome.accept(error);
        boolean completed = super.completeExceptionally(error);
        afterCompletion();
        return completed;
    }

    /**
     * Whether the calling thread is the callback thread of the node this future belongs to: known when its outcome
     * counter is the node's {@link NodeOutcomeCounter} (false otherwise, as for a bare counter in a test). Asked only
     * before a blocking wait, never on submit or completion.
     */
    final boolean onOwnCallbackThread() {
        return countOutcome instanceof NodeOutcomeCounter node && node.onCallbackThread();
    }

    /** Whether this completion is the first: not done yet (a cancel) and the first to take the flag. */
    private boolean claim() {
        return !isDone() && COMPLETING.compareAndSet(this, 0, 1);
    }

    /** Called after {@link #complete} or {@link #completeExceptionally} completed this future; nothing here. */
    void afterCompletion() {
    }
}
