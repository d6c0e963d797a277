package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded queue of outbound messages drained by its own thread, so {@link #offer} never blocks the engine.
 *
 * <p>When the queue is full the <em>newest</em> message (the one being offered) is dropped and counted as
 * {@link DropCause#QUEUE_FULL}. A full queue means Kafka is not keeping up (or is down); the queued messages are
 * already in the order the engine produced them, and Raft makes any single message expendable: a leader resends
 * AppendEntries from the follower's next index on its next heartbeat, a newer heartbeat supersedes an older one,
 * and elections are retried on timeout. Dropping the newest costs one failed {@code offer} and no coordination with
 * the draining thread.
 *
 * <p>{@link #idle()} tells whether a message offered now would be the lane's only one: none queued, none in the
 * thread's hands. A caller that then hands its message to the producer itself keeps the order of its messages.
 */
final class OutboundLane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundLane.class);

    private final String name;
    private final BlockingQueue<RaftMessage> queue;
    private final Consumer<RaftMessage> dispatcher;
    private final DropCounters drops;
    private final Thread thread;
    /** Messages queued or being dispatched. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean running = true;

    OutboundLane(String name, int capacity, Consumer<RaftMessage> dispatcher, DropCounters drops) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dispatcher = dispatcher;
        this.drops = drops;
        this.thread = new Thread(this::drain, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a message, or drops and counts it when the queue is full. Never blocks. */
    void offer(RaftMessage message) {
        pending.incrementAndGet();
        if (!queue.offer(message)) {
            pending.decrementAndGet();
            drops.drop(DropCause.QUEUE_FULL, name + " queue full (" + queue.size() + " waiting), dropped "
                    + message.getClass().getSimpleName() + " to " + message.to(), null);
        }
    }

    /** Whether no message is queued or being dispatched: every message offered before was handed on. */
    boolean idle() {
        return pending.get() == 0;
    }

    int queued() {
        return queue.size();
    }

    private void drain() {
        while (running) {
            RaftMessage message;
            try {
                message = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (message == null) {
                continue;
            }
            try {
                dispatcher.accept(message);
            } catch (RuntimeException e) {
                drops.drop(DropCause.SEND_FAILED, name + " could not send " + message.getClass().getSimpleName()
                        + " to " + message.to(), e);
            } finally {
                pending.decrementAndGet();
            }
        }
        LOG.debug("{} stopped with {} messages unsent", name, queue.size());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
