package io.raftbus.engine.simulation;

import io.raftbus.engine.Role;

/** A bounded ring of recent simulation events, printed as a table when a run fails. */
final class EventTrace {

    private record Row(long time, String node, Role role, long term, Object event) {
    }

    private final Row[] rows;
    private long count;

    EventTrace(int capacity) {
        rows = new Row[capacity];
    }

    /** Records an event; {@code event} is formatted lazily (only when the trace is printed). */
    void add(long time, String node, Role role, long term, Object event) {
        rows[(int) (count++ % rows.length)] = new Row(time, node, role, term, event);
    }

    /** The recorded events, oldest first, as a fixed-width table. */
    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %10s  %-6s  %-13s  %5s  %s%n", "time(ms)", "node", "role", "term", "event"));
        long first = Math.max(0, count - rows.length);
        for (long i = first; i < count; i++) {
            Row r = rows[(int) (i % rows.length)];
            sb.append(String.format("  %10d  %-6s  %-13s  %5d  %s%n", r.time, r.node,
                    r.role == null ? "-" : r.role, r.term, r.event));
        }
        return sb.toString();
    }
}
