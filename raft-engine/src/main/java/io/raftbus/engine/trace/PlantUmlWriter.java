package io.raftbus.engine.trace;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Writes {@link TraceEvent}s as a PlantUML sequence diagram: a lifeline per node, each received message as an
 * arrow from its sender to its receiver at the time it was handled, and notes over a node for what changed in its
 * role, term, leader, commit index and snapshot (the log end and applied index, which change with every append, are
 * left to the table), for timers that did something, for local events (a submit, a crash) and, over every node, for
 * cluster-wide notes (a partition). Messages sent but never delivered draw no arrow; quiet ticks draw nothing.
 */
public final class PlantUmlWriter {

    private PlantUmlWriter() {
    }

    /** The diagram, titled {@code title} (may be null), with a lifeline per node in {@code nodes} order. */
    public static String render(String title, List<TraceEvent> events, List<String> nodes) {
        Set<String> ids = new LinkedHashSet<>(nodes);
        for (TraceEvent e : events) {
            if (e.node() != null) {
                ids.add(e.node());
            }
            RaftMessage m = e.received();
            if (m != null) {
                ids.add(m.from());
            }
        }
        StringBuilder out = new StringBuilder("@startuml\n");
        if (title != null) {
            out.append("title ").append(escape(title)).append('\n');
        }
        out.append("skinparam sequenceMessageAlign left\n");
        for (String id : ids) {
            out.append("participant ").append(quote(id)).append('\n');
        }
        String all = String.join(", ", ids.stream().map(PlantUmlWriter::quote).toList());
        for (TraceEvent e : events) {
            if (e.isQuiet()) {
                continue;
            }
            if (e.node() == null) {
                out.append("hnote over ").append(all).append(" : ").append(escape(e.timeMs() + " ms: " + e.event()))
                        .append('\n');
                continue;
            }
            String node = quote(e.node());
            RaftMessage m = e.received();
            if (m != null) {
                out.append(quote(m.from())).append(" -> ").append(node).append(" : ")
                        .append(escape(e.timeMs() + " ms: " + MessageSummary.of(m))).append('\n');
            } else if (e.isNote()) {
                out.append("note over ").append(node).append(" #FFAAAA : ").append(escape(e.timeMs() + " ms: "
                        + e.event())).append('\n');
            }
            List<String> changes = shownChanges(e);
            if (m == null && !e.isNote() && (!changes.isEmpty() || !TraceEvent.TIMER.equals(e.event()))) {
                changes.add(0, e.timeMs() + " ms: " + e.event());
            }
            if (!changes.isEmpty()) {
                String colour = e.after() != null && e.before() != null
                        && e.after().role() != e.before().role() ? " #AAFFAA" : "";
                out.append("note over ").append(node).append(colour).append(" : ")
                        .append(escape(String.join("\n", changes))).append('\n');
            }
        }
        return out.append("@enduml\n").toString();
    }

    /** The changes a diagram shows: everything but the log end and the applied index. */
    private static List<String> shownChanges(TraceEvent e) {
        List<String> out = new ArrayList<>();
        if (e.isNote()) {
            return out;
        }
        RaftStatus b = e.before();
        RaftStatus a = e.after();
        if (b == null || a == null) {
            out.add(a == null ? "down" : "up " + TraceTable.abbreviate(a));
            return out;
        }
        if (b.role() != a.role() || b.term() != a.term()) {
            out.add(a.role() + " term " + a.term());
        }
        if (!Objects.equals(b.leaderId(), a.leaderId()) && a.leaderId() != null && !a.isLeader()) {
            out.add("leader " + a.leaderId());
        }
        if (b.commitIndex() != a.commitIndex()) {
            out.add("commit " + b.commitIndex() + "→" + a.commitIndex());
        }
        if (b.snapshotIndex() != a.snapshotIndex()) {
            out.add("snapshot " + b.snapshotIndex() + "→" + a.snapshotIndex());
        }
        for (String c : e.changes()) {
            if (c.startsWith("vote→")) {
                out.add(c);
            }
        }
        return out;
    }

    private static String quote(String id) {
        return '"' + id.replace("\"", "'") + '"';
    }

    /** One line of PlantUML text: newlines become {@code \n}, which PlantUML shows as line breaks. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n");
    }
}
