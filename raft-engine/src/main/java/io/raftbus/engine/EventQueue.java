package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loop's inbox: many producers (transport threads, callers of submit), one consumer (the loop). Submits and
 * inbound messages are bounded separately, so neither can grow without limit; a close request is always accepted.
 */
final class EventQueue {

    private final LinkedBlockingQueue<NodeEvent> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedSubmits = new AtomicInteger();
    private final AtomicInteger queuedInbound = new AtomicInteger();
    private final int maxSubmits;
    private final int maxInbound;

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
        queue.add(new NodeEvent.Inbound(message));
        return true;
    }

    /** Queues a submit; false (nothing queued) when {@code maxSubmits} submits are already waiting. */
    boolean offerSubmit(NodeEvent.Submit submit) {
        if (queuedSubmits.incrementAndGet() > maxSubmits) {
            queuedSubmits.decrementAndGet();
            return false;
        }
        queue.add(submit);
        return true;
    }

    /** A leadership transfer request (unbounded: at most a handful, from RaftNode's callers). */
    void offerTransfer(NodeEvent.Transfer transfer) {
        queue.add(transfer);
    }

    /** A membership change (unbounded: at most a handful, from RaftNode's callers). */
    void offerMembershipChange(NodeEvent.ChangeMembership change) {
        queue.add(change);
    }

    /** A snapshot outcome or request (unbounded: one outcome per snapshot, requests from RaftNode's callers). */
    void offerSnapshotEvent(NodeEvent event) {
        queue.add(event);
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
        queue.add(NodeEvent.Close.INSTANCE);
    }

    /** Takes back a submit nobody consumed yet; true if it was still queued. */
    boolean remove(NodeEvent.Submit submit) {
        if (queue.remove(submit)) {
            queuedSubmits.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Waits up to {@code timeoutMs} for the next event; null on timeout. */
    NodeEvent poll(long timeoutMs) throws InterruptedException {
        return taken(queue.poll(timeoutMs, TimeUnit.MILLISECONDS));
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

    private NodeEvent taken(NodeEvent event) {
        if (event instanceof NodeEvent.Submit) {
            queuedSubmits.decrementAndGet();
        } else if (event instanceof NodeEvent.Inbound) {
            queuedInbound.decrementAndGet();
        }
        return event;
    }
}
