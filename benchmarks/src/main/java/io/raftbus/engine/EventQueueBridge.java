package io.raftbus.engine;

/**
 * Benchmark-only access to the event loop's package-private {@link EventQueue} (this class shares its package, in the
 * benchmarks jar): submits offered by producer threads, taken by one consumer, as between callers and the loop.
 */
public final class EventQueueBridge {

    private final EventQueue queue;
    private final NodeEvent.Submit submit = new NodeEvent.Submit(1, new byte[0], false, error -> { });

    /** @param maxSubmits submits that may wait at once (the node's {@code maxPendingCommands}) */
    public EventQueueBridge(int maxSubmits) {
        queue = new EventQueue(maxSubmits, maxSubmits);
    }

    /** A producer's submit (the same event each time: the queue does not mind); false when the queue is full. */
    public boolean offerSubmit() {
        return queue.offerSubmit(submit);
    }

    /** The consumer's take of the next event, null if none is queued (the loop's {@code poll()}). */
    public Object poll() {
        return queue.poll();
    }
}
