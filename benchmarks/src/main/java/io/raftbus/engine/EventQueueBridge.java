package io.raftbus.engine;

/**
 * Benchmark-only access to the event loop's package-private {@link EventQueue} (this class shares its package, in the
 * benchmarks jar): submits offered by producer threads, taken by one consumer, as between callers and the loop.
 */
public final class EventQueueBridge {

    private static final byte[] COMMAND = new byte[0];
    private static final java.util.function.Consumer<Throwable> UNCOUNTED = error -> { };

    private final EventQueue queue;
    private long nextId;

    /** @param maxSubmits submits that may wait at once (the node's {@code maxPendingCommands}) */
    public EventQueueBridge(int maxSubmits) {
        queue = new EventQueue(maxSubmits, maxSubmits);
    }

    /**
     * A producer's submit, a new one each time (as a caller's: a submit is queued once); false when the queue is
     * full. One producer thread at a time.
     */
    public boolean offerSubmit() {
        return queue.offerSubmit(new NodeEvent.Submit(++nextId, COMMAND, false, UNCOUNTED));
    }

    /** The consumer's take of the next event, null if none is queued (the loop's {@code poll()}). */
    public Object poll() {
        return queue.poll();
    }
}
