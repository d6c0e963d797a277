package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a leadership transfer, a membership change or a snapshot ({@link RaftNode#transferLeadership},
 * {@link RaftNode#addMember} and the like, {@link RaftNode#takeSnapshot}): completed on the node's callback thread,
 * so {@code get}, {@code join} and {@code get(timeout)} (with a positive timeout) on it, not yet done, from that
 * very thread throw {@link IllegalStateException} ({@link SelfWaitGuard}) instead of waiting for themselves. Its
 * dependent stages are plain {@link CompletableFuture}s, without the guard.
 */
final class CallbackGuardedFuture<T> extends CompletableFuture<T> {

    private final Callbacks callbacks;

    /** @param callbacks the node's, which completes this future */
    CallbackGuardedFuture(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public T join() {
        refuseSelfWait();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseSelfWait();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (timeout > 0) {
            refuseSelfWait();
        }
        return super.get(timeout, unit);
    }

    private void refuseSelfWait() {
        if (!isDone()) {
            SelfWaitGuard.check(callbacks.isCallbackThread());
        }
    }
}
