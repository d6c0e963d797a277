package io.raftbus.engine.trace;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of a node's recent {@link TraceEvent}s, newest last: what it handled, how its status changed and
 * what it sent. Recorded by one thread (the node's event loop), read by any; quiet clock ticks are not kept. With a
 * capacity of 0 it is off: {@link #isOn()} is false, so the recorder skips the work of building events, and nothing
 * is kept.
 */
public final class NodeTrace {

    /** A trace that keeps nothing. */
    public static final NodeTrace OFF = new NodeTrace(0);

    private final TraceEvent[] ring;
    private long count;

    /** A ring of the last {@code capacity} events (0: off). */
    public NodeTrace(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        this.ring = new TraceEvent[capacity];
    }

    /** Whether events are kept; when false, callers should not build them. */
    public boolean isOn() {
        return ring.length > 0;
    }

    /** How many events the ring keeps. */
    public int capacity() {
        return ring.length;
    }

    /**
     * Keeps a handled event, unless the trace is off or the event is a quiet tick.
     *
     * @param event a received {@link RaftMessage}, {@link TraceEvent#TIMER}, or a description
     */
    public void record(long timeMs, String node, Object event, RaftStatus before, RaftStatus after,
                       List<RaftMessage> sent) {
        if (!isOn()) {
            return;
        }
        add(new TraceEvent(timeMs, node, event, before, after, sent));
    }

    /** Keeps an event, unless the trace is off or the event is a quiet tick. */
    public synchronized void add(TraceEvent event) {
        if (ring.length == 0 || event.isQuiet()) {
            return;
        }
        ring[(int) (count++ % ring.length)] = event;
    }

    /** The kept events, oldest first. */
    public synchronized List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>();
        for (long i = Math.max(0, count - ring.length); i < count; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** Events kept since the start, including those the ring has since overwritten. */
    public synchronized long recorded() {
        return count;
    }

    /** The kept events as a {@link TraceTable}. */
    public String table() {
        return TraceTable.render(events());
    }
}
