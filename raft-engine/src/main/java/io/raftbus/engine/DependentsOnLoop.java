package io.raftbus.engine;

/**
 * Completes the futures of submits and reads on the node's event loop itself, for {@link
 * RaftConfig#completeOnEventLoop()}: the loop runs a {@link CompletionBatch} here, so the futures' dependent stages
 * run on the loop thread, and while they do {@link #isRunningOnThisThread()} is true there, so that a dependent that
 * blocks on a submit's or read's future (which only a loop can complete) fails with {@link IllegalStateException}
 * ({@link BlockedCallerFuture}) instead of stalling its node for good. One per node loop; {@link #run} is called by
 * the loop thread only.
 */
final class DependentsOnLoop {

    /** The flag of the loop thread's instance; absent on any other thread. */
    private static final ThreadLocal<boolean[]> RUNNING = new ThreadLocal<>();

    /** Whether this loop's thread is running dependents now (one element, the loop thread's own). */
    private final boolean[] running = new boolean[1];
    private boolean bound;

    /**
     * Runs the batch's completions, in order, on the calling thread (the event loop), each one's failure logged and
     * the rest run; the batch is then empty, ready to be filled again.
     */
    void run(CompletionBatch batch) {
        if (!bound) {
            RUNNING.set(running);
            bound = true;
        }
        running[0] = true;
        try {
            batch.runHereAndClear();
        } finally {
            running[0] = false;
        }
    }

    /** Whether the calling thread is an event loop running the dependents of the futures it completes. */
    static boolean isRunningOnThisThread() {
        boolean[] flag = RUNNING.get();
        return flag != null && flag[0];
    }
}
