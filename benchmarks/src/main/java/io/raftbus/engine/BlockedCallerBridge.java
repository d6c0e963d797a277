package io.raftbus.engine;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark-only access to the runtime's package-private hand-off of a command's outcome (this class shares their
 * package, in the benchmarks jar): a stand-in event loop, its own thread, takes each submit from an
 * {@link EventQueue} and hands its outcome over either to the callback thread ({@link Callbacks}, one
 * {@link CompletionBatch} per submit) or, when its caller is blocked on it, to that caller directly
 * ({@link CompletionBatch#handToBlockedCallers}), as the node's loop does, or, {@code onLoop}, completes it on the
 * loop itself ({@link DependentsOnLoop}, as with {@link RaftConfig#completeOnEventLoop()}). The caller either blocks in
 * {@code join()} or chains a stage that wakes it ({@link #submitAndAwaitStage()}). No protocol: the outcome is decided
 * as soon as the submit is taken, so a command costs exactly its thread hand-offs.
 */
public final class BlockedCallerBridge implements AutoCloseable {

    private static final byte[] RESULT = new byte[0];

    private final EventQueue events = new EventQueue(1 << 16, 1 << 16);
    private final Callbacks callbacks = new Callbacks("bench");
    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private final CompletionBatch blockedCallers = new CompletionBatch("bench", 4);
    private final boolean direct;
    private final boolean onLoop;
    private final DependentsOnLoop dependentsOnLoop = new DependentsOnLoop();
    private final Thread loop;
    private volatile boolean running = true;
    private long nextId;

    /** @param direct hand outcomes to blocked callers directly; false: always through the callback thread */
    public BlockedCallerBridge(boolean direct) {
        this(direct, false);
    }

    /**
     * @param direct hand outcomes to blocked callers directly
     * @param onLoop complete the other futures on the loop when the callback thread is idle; false: through it
     */
    public BlockedCallerBridge(boolean direct, boolean onLoop) {
        this.direct = direct;
        this.onLoop = onLoop;
        this.loop = new Thread(this::runLoop, "bench-loop");
        loop.setDaemon(true);
        loop.start();
    }

    /** One command from the calling thread: queued for the loop, then waited for in {@code join()}. */
    public byte[] submitAndJoin() {
        NodeEvent.Submit submit = new NodeEvent.Submit(++nextId, RESULT, false, error -> { });
        events.offerSubmit(submit);
        return submit.join();
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
                if (direct && submit.hasWaiter()) {
                    blockedCallers.complete(submit, RESULT);
                    blockedCallers.handToBlockedCallers(batch);
                } else {
                    batch.complete(submit, RESULT);
                }
                if (!batch.isEmpty() && onLoop && callbacks.idle()) {
                    dependentsOnLoop.run(batch);
                } else if (!batch.isEmpty()) {
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
