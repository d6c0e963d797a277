package io.raftbus.engine.trace;

import io.raftbus.engine.simulation.TraceObserver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the {@link TraceEvent}s of a simulation run (quiet ticks left out) for a {@link TraceTable} or a
 * {@link PlantUmlWriter} diagram: either the first {@code limit} events (the start of a run) or the last
 * {@code limit} (what led to its end or its failure). Not thread-safe: a simulation runs on one thread.
 */
public final class TraceRecorder implements TraceObserver {

    private final int limit;
    private final boolean keepLast;
    private final Deque<TraceEvent> events = new ArrayDeque<>();
    private long seen;

    private TraceRecorder(int limit, boolean keepLast) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.keepLast = keepLast;
    }

    /** Keeps the first {@code limit} events of the run. */
    public static TraceRecorder first(int limit) {
        return new TraceRecorder(limit, false);
    }

    /** Keeps the last {@code limit} events of the run. */
    public static TraceRecorder last(int limit) {
        return new TraceRecorder(limit, true);
    }

    @Override
    public void onEvent(TraceEvent event) {
        if (event.isQuiet()) {
            return;
        }
        seen++;
        if (events.size() < limit) {
            events.addLast(event);
        } else if (keepLast) {
            events.removeFirst();
            events.addLast(event);
        }
    }

    /** The kept events, in order. */
    public List<TraceEvent> events() {
        return new ArrayList<>(events);
    }

    /** Events seen that were not quiet, kept or not. */
    public long seen() {
        return seen;
    }

    /** The kept events as a table with a column per node of {@code nodes}. */
    public String table(List<String> nodes) {
        return TraceTable.render(events(), nodes, TraceTable.DEFAULT_COLUMN_WIDTH);
    }

    /** The kept events as a PlantUML sequence diagram with a lifeline per node of {@code nodes}. */
    public String plantUml(String title, List<String> nodes) {
        return PlantUmlWriter.render(title, events(), nodes);
    }
}
