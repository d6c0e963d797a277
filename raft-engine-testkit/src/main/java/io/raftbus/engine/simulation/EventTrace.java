package io.raftbus.engine.simulation;

import io.raftbus.engine.Role;
import io.raftbus.engine.trace.TraceEvent;
import io.raftbus.engine.trace.TraceTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of recent simulation events, printed when a run fails as a {@link TraceTable} with a column per
 * node, and passed on to the simulation's {@link TraceObserver}, if any. Quiet ticks are not kept.
 */
final class EventTrace {

    private final TraceEvent[] rows;
    private final TraceObserver observer;
    private long count;

    EventTrace(int capacity, TraceObserver observer) {
        this.rows = new TraceEvent[capacity];
        this.observer = observer;
    }

    /**
     * Records a note about {@code node} ({@code "-"}: the whole cluster); {@code event} is formatted lazily (only when
     * the trace is printed). The role and term are not kept: the table shows each node's as its steps left them.
     */
    void add(long time, String node, Role role, long term, Object event) {
        add(TraceEvent.note(time, "-".equals(node) ? null : node, event));
    }

    /** Records an event a node handled, unless it is a quiet tick. */
    void add(TraceEvent event) {
        if (event.isQuiet()) {
            return;
        }
        if (observer != null) {
            observer.onEvent(event);
        }
        if (rows.length > 0) {
            rows[(int) (count++ % rows.length)] = event;
        }
    }

    /** The recorded events, oldest first. */
    List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>();
        for (long i = Math.max(0, count - rows.length); i < count; i++) {
            out.add(rows[(int) (i % rows.length)]);
        }
        return out;
    }

    /** The recorded events, oldest first, as a table with a column per node. */
    String table() {
        return TraceTable.render(events());
    }
}
