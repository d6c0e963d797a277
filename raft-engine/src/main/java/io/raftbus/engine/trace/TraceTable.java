package io.raftbus.engine.trace;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@link TraceEvent}s as a plain-text table with a column per node, one row per event. The acting node's
 * cell shows its role and term before the event ({@code F1}, {@code PC1}, {@code C2}, {@code L2}, {@code down},
 * {@code ?} while unknown) and the event, then what changed and the messages it sent; the other nodes' cells show
 * their last known role and term. Cluster-wide notes (a partition, a heal) span the row. Long lines wrap inside the
 * column; quiet ticks are left out. Example:
 * <pre>
 *  time ms | n1                                     | n2                                     | n3
 * ---------+----------------------------------------+----------------------------------------+-----
 *      170 | F0 timer                               | F0                                     | F0
 *          |   role FOLLOWER→CANDIDATE, term 0→1    |                                        |
 *          |   → n2,n3 VoteReq t1 last=0/0          |                                        |
 *      175 | C1                                     | F0 ← n1 VoteReq t1 last=0/0            | F0
 *          |                                        |   term 0→1, vote→n1                    |
 *          |                                        |   → n1 VoteResp t1 granted             |
 *      190 | == PARTITION [n3] ==
 * </pre>
 */
public final class TraceTable {

    /** The default width of a node's column, in characters. */
    public static final int DEFAULT_COLUMN_WIDTH = 44;

    private TraceTable() {
    }

    /** Renders {@code events} with a column per node that appears in them (ordered n1, n2, ..., n10). */
    public static String render(List<TraceEvent> events) {
        return render(events, nodesOf(events), DEFAULT_COLUMN_WIDTH);
    }

    /**
     * Renders {@code events} with a column per node of {@code nodes}, in that order (nodes that appear only in the
     * events get a column after them), each {@code columnWidth} characters wide.
     */
    public static String render(List<TraceEvent> events, List<String> nodes, int columnWidth) {
        if (columnWidth < 12) {
            throw new IllegalArgumentException("columnWidth must be at least 12");
        }
        Set<String> columns = new LinkedHashSet<>(nodes);
        columns.addAll(nodesOf(events));
        List<String> ids = List.copyOf(columns);
        Map<String, String> state = new HashMap<>();
        StringBuilder out = new StringBuilder();
        int timeWidth = 8;
        appendRow(out, pad("time ms", timeWidth, true), ids.stream().map(List::of).toList(), columnWidth);
        out.append("-".repeat(timeWidth + 1));
        for (int i = 0; i < ids.size(); i++) {
            out.append('+').append("-".repeat(columnWidth + 2));
        }
        out.append('\n');
        for (TraceEvent e : events) {
            if (e.isQuiet()) {
                state.put(e.node(), abbreviate(e.after()));
                continue;
            }
            String time = pad(Long.toString(e.timeMs()), timeWidth, true);
            if (e.node() == null) {
                out.append(time).append(" | == ").append(e.event()).append(" ==\n");
                continue;
            }
            List<List<String>> cells = new ArrayList<>();
            for (String id : ids) {
                if (id.equals(e.node())) {
                    cells.add(wrap(cell(e, state.getOrDefault(id, "?")), columnWidth));
                } else {
                    cells.add(List.of(state.getOrDefault(id, "?")));
                }
            }
            appendRow(out, time, cells, columnWidth);
            if (!e.isNote()) {
                state.put(e.node(), abbreviate(e.after()));
            } else if (isCrash(e)) {
                state.put(e.node(), "down");
            }
        }
        return out.toString();
    }

    /** Short role and term: {@code F1}, {@code PC1}, {@code C2}, {@code L2}; {@code down} for null. */
    public static String abbreviate(RaftStatus status) {
        if (status == null) {
            return "down";
        }
        return roleLetters(status.role()) + status.term();
    }

    /** The event's text: {@code ← n1 AppendEntries ...} for a message, otherwise the event itself. */
    public static String describe(TraceEvent e) {
        RaftMessage m = e.received();
        return m != null ? "← " + m.from() + " " + MessageSummary.of(m) : String.valueOf(e.event());
    }

    /**
     * The messages sent, grouped by what they say: {@code → n2,n3 AppendEntries t2 prev=3/2 commit=3}, in the order
     * first sent.
     */
    public static List<String> sentLines(TraceEvent e) {
        Map<String, List<String>> byText = new LinkedHashMap<>();
        for (RaftMessage m : e.sent()) {
            byText.computeIfAbsent(MessageSummary.of(m), k -> new ArrayList<>()).add(m.to());
        }
        List<String> lines = new ArrayList<>();
        byText.forEach((text, to) -> lines.add("→ " + String.join(",", to) + " " + text));
        return lines;
    }

    private static List<String> cell(TraceEvent e, String stateBefore) {
        List<String> lines = new ArrayList<>();
        String before = e.isNote() ? stateBefore : e.before() == null ? "down" : abbreviate(e.before());
        lines.add(before + (e.isNote() ? " ** " : " ") + describe(e));
        List<String> changes = e.changes();
        if (!changes.isEmpty()) {
            lines.add("  " + String.join(", ", changes));
        }
        for (String s : sentLines(e)) {
            lines.add("  " + s);
        }
        return lines;
    }

    private static boolean isCrash(TraceEvent e) {
        return String.valueOf(e.event()).startsWith("CRASH");
    }

    private static String roleLetters(Role role) {
        return switch (role) {
            case FOLLOWER -> "F";
            case PRE_CANDIDATE -> "PC";
            case CANDIDATE -> "C";
            case LEADER -> "L";
        };
    }

    private static void appendRow(StringBuilder out, String first, List<List<String>> cells, int width) {
        int height = 1;
        for (List<String> c : cells) {
            height = Math.max(height, c.size());
        }
        for (int line = 0; line < height; line++) {
            out.append(line == 0 ? first : " ".repeat(first.length())).append(' ');
            for (int i = 0; i < cells.size(); i++) {
                List<String> c = cells.get(i);
                String text = line < c.size() ? c.get(line) : "";
                out.append("| ").append(i == cells.size() - 1 ? text : pad(text, width, false));
                if (i < cells.size() - 1) {
                    out.append(' ');
                }
            }
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
            out.append('\n');
        }
    }

    /** Splits lines longer than {@code width} at a space where possible, continuing with a deeper indent. */
    static List<String> wrap(List<String> lines, int width) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String rest = line;
            String indent = "    ";
            boolean first = true;
            while (rest.length() > width) {
                int cut = rest.lastIndexOf(' ', width);
                int minCut = first ? 1 : indent.length() + 1;
                if (cut < minCut) {
                    cut = width;
                }
                out.add(rest.substring(0, cut));
                rest = indent + rest.substring(cut).stripLeading();
                first = false;
            }
            out.add(rest);
        }
        return out;
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    private static List<String> nodesOf(List<TraceEvent> events) {
        Set<String> ids = new LinkedHashSet<>();
        for (TraceEvent e : events) {
            if (e.node() != null) {
                ids.add(e.node());
            }
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        return sorted;
    }
}
