package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop's inbox: many producers (transport threads, callers of submit), one consumer (the loop), events
 * taken in the order their producers queued them. Submits and inbound messages are bounded separately, so neither
 * can grow without limit; a close request is always accepted.
 *
 * <h2>The chain</h2>
 * An intrusive multi-producer, single-consumer linked queue (after D. Vyukov's MPSC node queue, written for this
 * class): each event is a place in the chain ({@link EventLink}). A submit and an inbound message are their own
 * place, so queuing one allocates nothing; a rare event (transfer, membership change, snapshot, close) rides in a
 * {@link ChainedEvent} made for it. A producer swaps itself in as the tail (one {@code getAndSet}) and then links the
 * previous tail to itself; the loop follows the links from the place it took last. Between a producer's swap and its
 * link, the events queued behind it are not yet visible to the loop: it sees the queue empty and waits, and that
 * producer's link (then its wake-up) ends the wait. {@link #drain()} waits for such links instead, so it misses no
 * event whose swap came first.
 *
 * <h2>Taking back</h2>
 * Nothing is unlinked: a producer takes an event back ({@link EventLink#withdraw}) by moving its place from queued
 * to withdrawn, the loop takes one ({@link EventLink#claim}) by moving it from queued to taken, and the loop skips a
 * withdrawn place. Exactly one of the two wins, so a withdrawn event is certainly never seen by the loop.
 *
 * <h2>Waking the loop</h2>
 * A producer wakes the loop ({@link LockSupport#unpark}) only when the loop is parked waiting for an event, so a
 * busy loop is never signalled. The loop publishes itself in {@link #parked} and then looks for an event again; a
 * producer links its event and then reads {@link #parked}; both are volatile accesses, so either the loop sees the
 * event or the producer sees the loop parked and unparks it: no wake-up is lost.
 *
 * <h2>Bounds</h2>
 * The loop counts what it takes on its own and gives the places back to the bounds in one step when it finds the
 * queue empty, or every {@value #SETTLE_EVERY} events, rather than with one contended atomic decrement per event
 * (the producers' counter would otherwise bounce between the cores at every submit). Until then a bound counts
 * events already taken as waiting: it may refuse a little early, never late. A withdrawn submit gives its place
 * back at once.
 *
 * <p>The loop's own fields ({@link EventQueueLoopSide}) sit a cache line apart from the producers'.
 */
final class EventQueue extends EventQueuePadding {

    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(EventQueue.class, "tail", EventLink.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The place queued last; producers swap themselves in. */
    @SuppressWarnings("unused") // through TAIL
    private volatile EventLink tail = head;
    /** The thread parked in {@link #poll(long)}, waiting for an event; null while it is not waiting. */
    private volatile Thread parked;
    private final AtomicInteger queuedSubmits = new AtomicInteger();
    private final AtomicInteger queuedInbound = new AtomicInteger();
    private final int maxSubmits;
    private final int maxInbound;

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

    /**
     * Queues a submit (once: a submit is its own place); false (nothing queued) when {@code maxSubmits} submits are
     * already waiting.
     */
    boolean offerSubmit(NodeEvent.Submit submit) {
        if (queuedSubmits.incrementAndGet() > maxSubmits) {
            queuedSubmits.decrementAndGet();
            return false;
        }
        add(submit);
        return true;
    }

    /**
     * Queues a leadership transfer, a membership change, a snapshot outcome or request (unbounded: a handful at a
     * time, from RaftNode's callers and the snapshot thread), or a close. Returns its place, to take it back with
     * {@link EventLink#withdraw()} before the loop takes it.
     */
    EventLink offer(NodeEvent event) {
        EventLink link = ChainedEvent.carrying(event);
        add(link);
        return link;
    }

    /** {@link #offer}, for the snapshot thread's outcomes (a method reference it is given). */
    void offerSnapshotEvent(NodeEvent event) {
        offer(event);
    }

    /** Asks the loop to stop (always accepted; may be asked more than once). */
    void offerClose() {
        offer(NodeEvent.Close.INSTANCE);
    }

    /** Takes back a submit the loop has not taken; true if it was still queued (its place in the bound is freed). */
    boolean remove(NodeEvent.Submit submit) {
        if (submit.withdraw()) {
            queuedSubmits.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Waits up to {@code timeoutMs} for the next event; null on timeout. Only one thread (the loop) may call it. */
    NodeEvent poll(long timeoutMs) throws InterruptedException {
        NodeEvent event = next();
        if (event != null || timeoutMs <= 0) {
            return taken(event);
        }
        settle();
        long timeoutNanos = timeoutMs >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE
                : TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long start = System.nanoTime();
        Thread self = Thread.currentThread();
        // parked is set before the chain is read again, and a producer links before it reads parked: either this
        // thread sees the event or the producer sees this thread parked and unparks it (volatile accesses are ordered)
        parked = self;
        try {
            while (true) {
                event = next();
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

    /** The next event if one is queued, else null. Only the loop may call it. */
    NodeEvent poll() {
        return taken(next());
    }

    /**
     * Removes and returns everything queued, waiting for the link of any producer caught between its swap and its
     * link (a few instructions), so that no event queued before this call returns is left behind. Only the loop.
     */
    List<NodeEvent> drain() {
        List<NodeEvent> out = new ArrayList<>();
        while (true) {
            NodeEvent event = poll();
            if (event != null) {
                out.add(event);
            } else if (TAIL.getVolatile(this) == head) {
                return out;
            } else {
                Thread.yield(); // a producer swapped itself in and has yet to link: let it run
            }
        }
    }

    /** Queues a place: swaps it in as the tail, links the previous tail to it, then wakes the loop if it waits. */
    private void add(EventLink link) {
        EventLink previous = (EventLink) TAIL.getAndSet(this, link);
        previous.linkNext(link);
        Thread waiting = parked;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /** Moves past the next linked places until one the loop may take (skipping withdrawn ones); null if none. */
    private NodeEvent next() {
        EventLink at = head;
        EventLink next;
        while ((next = at.next()) != null) {
            at.unlinkNext(); // a place the loop moved past keeps nothing alive
            at = next;
            if (next.claim()) {
                head = at;
                return next.event();
            }
        }
        head = at;
        return null;
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
