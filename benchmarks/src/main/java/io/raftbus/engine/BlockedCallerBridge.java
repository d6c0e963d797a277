package io.raftbus.engine;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark-only access to the runtime's package-private hand-off of a command's outcome (this class shares their
 * package, in the benchmarks jar): a stand-in event loop, its own thread, takes each submit from an
 * {@link EventQueue} and hands its outcome over either to the callback thread ({@link Callbacks}, one
 * {@link CompletionBatch} per submit) or, when its caller is blocked on it, to that caller directly
 * ({@link CompletionBatch#handToBlockedCallers}), as the node's loop does. No protocol: the outcome is decided as
 * soon as the submit is taken, so a command costs exactly its thread hand-offs.
 */
public final class BlockedCallerBridge implements AutoCloseable {

    private static final byte[] RESULT = new byte[0];

    private final EventQueue events = new EventQueue(1 << 16, 1 << 16);
    private final Callbacks callbacks = new Callbacks("bench");
    private final AtomicReference<CompletionBatch> spare = new AtomicReference<>();
    private final CompletionBatch blockedCallers = new CompletionBatch("bench", 4);
    private final boolean direct;
    private final Thread loop;
    private volatile boolean running = true;
    private long nextId;

    /** @param direct hand outcomes to blocked callers directly; false: always through the callback thread */
    public BlockedCallerBridge(boolean direct) {
        this.direct = direct;
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
                if (!batch.isEmpty()) {
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
