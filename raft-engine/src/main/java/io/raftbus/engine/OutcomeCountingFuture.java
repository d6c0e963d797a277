package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The future of a submit or a read: counts its outcome in {@link NodeMetrics} before completing, so that whoever
 * sees it completed (a {@code join}, a dependent stage) also sees the count. The first completion counts, whoever
 * makes it (the node, or a caller's {@code completeExceptionally} or {@code orTimeout}); {@code cancel} is not
 * counted. Dependent stages are plain {@link CompletableFuture}s. Extended by {@link BlockedCallerFuture} (a caller
 * blocked in {@code get}/{@code join} woken by the event loop) and, through it, {@link NodeEvent.Submit}, which is the
 * future of the proposal it carries.
 */
class OutcomeCountingFuture extends CompletableFuture<byte[]> {

    private final Consumer<Throwable> countOutcome;

    /** @param countOutcome told null for a success, else the exception, once, just before the future completes */
    OutcomeCountingFuture(Consumer<Throwable> countOutcome) {
        this.countOutcome = countOutcome;
    }

    @Override
    public final boolean complete(byte[] value) {
        if (isDone()) {
            return false;
        }
        countOutcome.accept(null);
        boolean completed = super.complete(value);
        afterCompletion();
        return completed;
    }

    @Override
    public final boolean completeExceptionally(Throwable error) {
        if (isDone()) {
            return false;
        }
        countOutcome.accept(error);
        boolean completed = super.completeExceptionally(error);
        afterCompletion();
        return completed;
    }

    /** Called after {@link #complete} or {@link #completeExceptionally} completed this future; nothing here. */
    void afterCompletion() {
    }
}
