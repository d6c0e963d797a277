package io.raftbus.examples.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's output lines. Every result line starts with one word a script can test: {@code OK},
 * {@code NOT_FOUND}, {@code CAS_FAILED} or {@code ERROR}; {@code status} prints one line per node instead.
 */
final class KvFormat {

    /** Wide enough for every role name (PRE_CANDIDATE). */
    private static final int ROLE_WIDTH = 13;

    private KvFormat() {
    }

    /** The line for a key-value command's result. */
    static String result(KvCommand command, KvResult result) {
        String key = command.key();
        return switch (result.outcome()) {
            case OK -> command instanceof KvCommand.Delete ? "OK " + key + " deleted" : "OK " + key + " = " + result.value();
            case NOT_FOUND -> "NOT_FOUND " + key;
            case CAS_MISMATCH -> "CAS_FAILED " + key + (result.value() == null ? " not found" : " = " + result.value());
            case INVALID_COMMAND -> error("the state machine rejected the command: " + result.value());
        };
    }

    /** An error line (always one line: line breaks in the message become spaces). */
    static String error(String message) {
        return "ERROR " + String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The {@code status} lines, one per node, for example
     * {@code n1  LEADER         term=2   leader=n1  commit=5    applied=5    last=5     snap=0     log=5} ({@code snap}:
     * the latest snapshot's index, {@code log}: entries held in the log), then the node's place in the configuration
     * it knows: {@code voter}, {@code learner} (receives the log, does not vote yet) or {@code non-member} (joining
     * and not yet added, or removed), preceded, for a node running client sessions, by {@code sessions=} the open
     * sessions and {@code held=} the results held for clients; a killed node shows {@code DOWN}, a removed and stopped
     * one {@code REMOVED}, a partitioned one ends with {@code partitioned}.
     */
    static List<String> status(List<NodeView> nodes) {
        int idWidth = nodes.stream().mapToInt(n -> n.nodeId().length()).max().orElse(2);
        List<String> lines = new ArrayList<>();
        for (NodeView node : nodes) {
            List<String> columns = new ArrayList<>();
            columns.add(pad(node.nodeId(), idWidth));
            if (node.removed()) {
                columns.add("REMOVED");
            } else if (!node.up() || node.status() == null) {
                columns.add("DOWN");
            } else {
                var s = node.status();
                columns.add(pad(s.role().name(), ROLE_WIDTH));
                columns.add(pad("term=" + s.term(), 7));
                columns.add(pad("leader=" + (s.leaderId() == null ? "-" : s.leaderId()), idWidth + 7));
                columns.add(pad("commit=" + s.commitIndex(), 10));
                columns.add(pad("applied=" + s.lastApplied(), 11));
                columns.add(pad("last=" + s.lastLogIndex(), 9));
                columns.add(pad("snap=" + s.snapshotIndex(), 9));
                String membership = membership(s);
                String sessions = node.sessions() == null ? "" : "sessions=" + node.sessions().openSessions()
                        + " held=" + node.sessions().heldResults();
                columns.add(membership.isEmpty() && sessions.isEmpty() ? "log=" + s.logEntries()
                        : pad("log=" + s.logEntries(), 9));
                if (!sessions.isEmpty()) {
                    columns.add(membership.isEmpty() ? sessions : pad(sessions, 20));
                }
                if (!membership.isEmpty()) {
                    columns.add(membership);
                }
            }
            if (node.partitioned()) {
                columns.add("partitioned");
            }
            lines.add(String.join("  ", columns).stripTrailing());
        }
        return lines;
    }

    /** This node's place in the configuration it knows; empty when it knows none (it then lists no voters). */
    static String membership(io.raftbus.engine.RaftStatus status) {
        if (status.voters().isEmpty()) {
            return "";
        }
        return status.isVoter() ? "voter" : status.learners().contains(status.nodeId()) ? "learner" : "non-member";
    }

    /** Ids for people: {@code n1,n3,n4} (sorted), or {@code none}. */
    static String ids(java.util.Collection<String> ids) {
        return ids.isEmpty() ? "none" : String.join(",", new java.util.TreeSet<>(ids));
    }

    /** A duration for people: {@code 5 s}, {@code 2.5 s}, {@code 10.1 s} (tenths from 1 s up), {@code 0.25 s}. */
    static String seconds(java.time.Duration duration) {
        java.math.BigDecimal seconds = java.math.BigDecimal.valueOf(duration.toMillis(), 3);
        if (seconds.compareTo(java.math.BigDecimal.ONE) >= 0) {
            seconds = seconds.setScale(1, java.math.RoundingMode.HALF_UP);
        }
        return (seconds.signum() == 0 ? "0" : seconds.stripTrailingZeros().toPlainString()) + " s";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
