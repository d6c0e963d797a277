package io.raftbus.engine;

/**
 * Refuses a blocking wait ({@code get}, {@code join}, {@code get(timeout)}) on a node's future that is not yet done,
 * made on that same node's callback thread ({@code raftbus-<nodeId>-callbacks}, inside a dependent stage or a
 * listener): only that thread (or, while it is idle, the event loop) can deliver the outcome, so the wait would
 * never end and every later callback of the node would be stuck behind it. Throwing names the cause and the fix
 * instead of a silent hang. Used by {@link BlockedCallerFuture} (submit and read futures) and
 * {@link CallbackGuardedFuture} (transfer, membership and snapshot futures); a future of another node may still be
 * waited on there.
 */
final class SelfWaitGuard {

    private SelfWaitGuard() {
    }

    /** Throws {@link IllegalStateException} if {@code onOwnCallbackThread}: the caller's future is not done yet. */
    static void check(boolean onOwnCallbackThread) {
        if (onOwnCallbackThread) {
            throw new IllegalStateException("blocking (get/join) on a raftbus future that is not done yet, from its"
                    + " node's own callback thread (" + Thread.currentThread().getName() + "), inside a dependent"
                    + " stage or a listener: only that thread can deliver the outcome, so it would wait for itself"
                    + " and stall every later callback of the node; chain the stage (thenCompose, whenComplete)"
                    + " instead of blocking, or block from another thread");
        }
    }
}
