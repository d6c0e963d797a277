package io.raftbus.engine;

import java.util.function.Consumer;

/**
 * A node's outcome counter for its submit or read futures ({@link OutcomeCountingFuture}): counts each outcome in
 * {@link NodeMetrics}, and tells whether the calling thread is the node's callback thread, so that a future can
 * refuse a blocking wait there ({@link SelfWaitGuard}). One per node and kind, shared by every future of that kind:
 * the futures gain the check without a field or an allocation.
 */
final class NodeOutcomeCounter implements Consumer<Throwable> {

    private final Consumer<Throwable> count;
    private final Callbacks callbacks;

    /** @param count counts an outcome (null for a success, else the exception); {@code callbacks} the node's */
    NodeOutcomeCounter(Consumer<Throwable> count, Callbacks callbacks) {
        this.count = count;
        this.callbacks = callbacks;
    }

    @Override
    public void accept(Throwable error) {
        count.accept(error);
    }

    /** Whether the calling thread is this node's callback thread. */
    boolean onCallbackThread() {
        return callbacks.isCallbackThread();
    }
}
