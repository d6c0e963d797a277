package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop's inbox: many producers (transport threads, callers of submit), one consumer (the loop). Submits and
 * inbound messages are bounded separately, so neither can grow without limit; a close request is always accepted.
 * A lock-free queue: a producer wakes the loop ({@link LockSupport#unpark}) only when the loop is parked waiting for
 * an event, so a busy loop is never signalled.
 *
 * <p>The loop counts what it takes on its own and gives the places back to the bounds in one step when it finds the
 * queue empty, or every {@value #SETTLE_EVERY} events, rather than with one contended atomic decrement per event
 * (the producers' counter would otherwise bounce between the cores at every submit). Until then a bound counts
 * events already taken as waiting: it may refuse a little early, never late.
 */
final class EventQueue {

    private final ConcurrentLinkedQueue<NodeEvent> queue = new ConcurrentLinkedQueue<>();
    /** The thread parked in {@link #poll(long)}, waiting for an event; null while it is not waiting. */
    private volatile Thread parked;
    private final AtomicInteger queuedSubmits = new AtomicInteger();
    private final AtomicInteger queuedInbound = new AtomicInteger();
    private final int maxSubmits;
    private final int maxInbound;
    /** Submits and inbound messages the consumer took but has not yet given back to the bounds (its own). */
    private int takenSubmits;
    private int takenInbound;

    /** The most events the consumer takes before it gives their places back. */
    static final int SETTLE_EVERY = 64;

    EventQueue(int maxSubmits, int maxInbound) {
        this.maxSubmits = maxSubmits;
        this.maxInbound = maxInbound;
    }

    /** Queues an inbound message; false (nothing queued) when {@code maxInbound} messages are already waiting. */
    boolean offerInbound(RaftMessage message) {
        if (queuedInbound.incrementAndGet() > maxInbound) {
            queuedInbound.decrementAndGet();
            return false;
        }
        add(new NodeEvent.Inbound(message));
        return true;
    }

    /** Queues a submit; false (nothing queued) when {@code maxSubmits} submits are already waiting. */
    boolean offerSubmit(NodeEvent.Submit submit) {
        if (queuedSubmits.incrementAndGet() > maxSubmits) {
            queuedSubmits.decrementAndGet();
            return false;
        }
        add(submit);
        return true;
    }

    /** A leadership transfer request (unbounded: at most a handful, from RaftNode's callers). */
    void offerTransfer(NodeEvent.Transfer transfer) {
        add(transfer);
    }

    /** A membership change (unbounded: at most a handful, from RaftNode's callers). */
    void offerMembershipChange(NodeEvent.ChangeMembership change) {
        add(change);
    }

    /** A snapshot outcome or request (unbounded: one outcome per snapshot, requests from RaftNode's callers). */
    void offerSnapshotEvent(NodeEvent event) {
        add(event);
    }

    /** Takes back an event the loop has not taken; returns whether it was still queued. */
    boolean removeSnapshotEvent(NodeEvent event) {
        return queue.remove(event);
    }

    /** Takes back a transfer request the loop has not taken; returns whether it was still queued. */
    boolean remove(NodeEvent.Transfer transfer) {
        return queue.remove(transfer);
    }

    /** Takes back a membership change the loop has not taken; returns whether it was still queued. */
    boolean remove(NodeEvent.ChangeMembership change) {
        return queue.remove(change);
    }

    void offerClose() {
        add(NodeEvent.Close.INSTANCE);
    }

    /** Takes back a submit nobody consumed yet; true if it was still queued. */
    boolean remove(NodeEvent.Submit submit) {
        if (queue.remove(submit)) {
            queuedSubmits.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Waits up to {@code timeoutMs} for the next event; null on timeout. Only one thread (the loop) may call it. */
    NodeEvent poll(long timeoutMs) throws InterruptedException {
        NodeEvent event = queue.poll();
        if (event != null || timeoutMs <= 0) {
            return taken(event);
        }
        settle();
        long timeoutNanos = timeoutMs >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE
                : TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long start = System.nanoTime();
        Thread self = Thread.currentThread();
        // parked is set before the queue is checked again, and a producer adds before it reads parked: either this
        // thread sees the event or the producer sees this thread parked and unparks it (volatile accesses are ordered)
        parked = self;
        try {
            while (true) {
                event = queue.poll();
                if (event != null) {
                    return taken(event);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            parked = null;
        }
    }

    /** The next event if one is queued, else null. */
    NodeEvent poll() {
        return taken(queue.poll());
    }

    /** Removes and returns everything queued. */
    List<NodeEvent> drain() {
        List<NodeEvent> out = new ArrayList<>();
        for (NodeEvent e = poll(); e != null; e = poll()) {
            out.add(e);
        }
        return out;
    }

    private void add(NodeEvent event) {
        queue.add(event);
        Thread waiting = parked;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /** Counts what the consumer took; gives the places back when the queue was empty or enough were taken. */
    private NodeEvent taken(NodeEvent event) {
        if (event instanceof NodeEvent.Submit) {
            takenSubmits++;
        } else if (event instanceof NodeEvent.Inbound) {
            takenInbound++;
        }
        if (event == null || takenSubmits + takenInbound >= SETTLE_EVERY) {
            settle();
        }
        return event;
    }

    /** Gives the places of the events taken since the last call back to the bounds. */
    private void settle() {
        if (takenSubmits > 0) {
            queuedSubmits.addAndGet(-takenSubmits);
            takenSubmits = 0;
        }
        if (takenInbound > 0) {
            queuedInbound.addAndGet(-takenInbound);
            takenInbound = 0;
        }
    }
}
