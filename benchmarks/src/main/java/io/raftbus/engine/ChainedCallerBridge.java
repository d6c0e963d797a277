package io.raftbus.engine;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark-only access to the runtime's package-private completion paths (this class shares their package, in the
 * benchmarks jar), for a caller that chains a stage instead of blocking: a stand-in event loop, its own thread, takes
 * each submit from an {@link EventQueue} and completes its future either through the callback thread
 * ({@link Callbacks}, one {@link CompletionBatch} per submit, as by default) or on the loop itself
 * ({@link DependentsOnLoop}, as with {@link RaftConfig#completeOnEventLoop()}); the caller's {@code whenComplete}
 * unparks the caller, which parks until then. No protocol: a command costs exactly its thread hand-offs.
 */
public final class ChainedCallerBridge implements AutoCloseable {

    private static final byte[] RESULT = new byte[0];

    private final EventQueue events = new EventQueue(1 << 16, 1 << 16);
    private final Callbacks callbacks = new Callbacks("bench");
    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private final DependentsOnLoop dependentsOnLoop = new DependentsOnLoop();
    private final boolean onLoop;
    private final Thread loop;
    private volatile boolean running = true;
    private long nextId;

    /** @param onLoop complete futures on the loop; false: through the callback thread */
    public ChainedCallerBridge(boolean onLoop) {
        this.onLoop = onLoop;
        this.loop = new Thread(this::runLoop, "bench-loop");
        loop.setDaemon(true);
        loop.start();
    }

    /** One command from the calling thread: queued for the loop; a chained stage wakes the caller, parked till then. */
    public boolean submitAndAwaitStage() {
        Thread caller = Thread.currentThread();
        NodeEvent.Submit submit = new NodeEvent.Submit(++nextId, RESULT, false, error -> { });
        submit.whenComplete((result, error) -> LockSupport.unpark(caller));
        events.offerSubmit(submit);
        while (!submit.isDone()) {
            LockSupport.park(this);
        }
        return true;
    }

    private void runLoop() {
        CompletionBatch batch = new CompletionBatch("bench", 16, spare);
        try {
            while (running) {
                NodeEvent event = events.poll(100);
                if (!(event instanceof NodeEvent.Submit submit)) {
                    continue;
                }
                batch.complete(submit, RESULT);
                if (onLoop && callbacks.idle()) {
                    dependentsOnLoop.run(batch);
                } else {
                    CompletionBatch full = batch;
                    batch = CompletionBatch.next("bench", full, spare);
                    callbacks.run(full);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join();
        callbacks.shutdown(1_000);
    }
}
