package io.raftbus.engine.trace;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One thing that happened at one node, as traces show it: the event the node handled (a received {@link
 * RaftMessage}, {@link #TIMER}, or a short description such as {@code submit #4}), its status before and after, and
 * the messages it sent while handling it.
 *
 * <p>A <em>note</em> (both statuses null) records something done to the node or the cluster rather than handled by
 * a core, such as a crash, a partition or a log error; {@code node} is null when it concerns the whole cluster.
 * {@code before} is null when the node was down (it starts), {@code after} when it is down afterwards.
 *
 * @param timeMs when, in the clock of whoever recorded it (virtual in a simulation, wall-clock in a node)
 * @param node the node, or null for a cluster-wide note
 * @param event a {@link RaftMessage}, {@link #TIMER}, or any object whose {@code toString()} describes it (formatted
 *              only when the trace is rendered)
 * @param before the node's status before handling it, or null
 * @param after the node's status after handling it, or null
 * @param sent the messages the node sent while handling it, in order
 */
public record TraceEvent(long timeMs, String node, Object event, RaftStatus before, RaftStatus after,
                         List<RaftMessage> sent) {

    /** The event of a clock tick. */
    public static final String TIMER = "timer";

    public TraceEvent {
        Objects.requireNonNull(event, "event");
        sent = sent == null || sent.isEmpty() ? List.of() : List.copyOf(sent);
    }

    /** A note about {@code node} (null: the whole cluster). */
    public static TraceEvent note(long timeMs, String node, Object what) {
        return new TraceEvent(timeMs, node, what, null, null, List.of());
    }

    /** Whether this records something done to a node or the cluster rather than handled by a core. */
    public boolean isNote() {
        return before == null && after == null;
    }

    /** The message handled, or null if the event is not a message. */
    public RaftMessage received() {
        return event instanceof RaftMessage m ? m : null;
    }

    /**
     * Whether nothing worth showing happened: a clock tick that sent nothing and changed none of the fields a trace
     * shows (see {@link #changes()}).
     */
    public boolean isQuiet() {
        return TIMER.equals(event) && sent.isEmpty() && before != null && after != null && changes().isEmpty();
    }

    /**
     * What changed, in words: role, term, leader, commit index, last applied, log end, log start, snapshot index,
     * voters and learners (the configuration in force), each as {@code name old→new}, and a vote this node granted.
     * Empty for a note.
     */
    public List<String> changes() {
        List<String> out = new ArrayList<>();
        if (isNote()) {
            return out;
        }
        if (before == null) {
            out.add("up");
        }
        if (after == null) {
            out.add("down");
        }
        if (before != null && after != null) {
            change(out, "role", before.role(), after.role());
            change(out, "term", before.term(), after.term());
            change(out, "leader", before.leaderId(), after.leaderId());
            change(out, "commit", before.commitIndex(), after.commitIndex());
            change(out, "applied", before.lastApplied(), after.lastApplied());
            change(out, "log", before.lastLogIndex(), after.lastLogIndex());
            change(out, "first", before.firstLogIndex(), after.firstLogIndex());
            change(out, "snap", before.snapshotIndex(), after.snapshotIndex());
            change(out, "voters", names(before.voters()), names(after.voters()));
            change(out, "learners", names(before.learners()), names(after.learners()));
        }
        for (RaftMessage m : sent) {
            if (m instanceof VoteResponse v && v.granted()) {
                out.add("vote→" + v.to());
            }
        }
        return out;
    }

    /** The ids sorted and comma-separated, or null (shown as {@code -}) for none. */
    private static String names(Set<String> ids) {
        return ids.isEmpty() ? null : String.join(",", new TreeSet<>(ids));
    }

    private static void change(List<String> out, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(name + " " + (before == null ? "-" : before) + "→" + (after == null ? "-" : after));
        }
    }
}
