package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.trace.TraceEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the simulation's steps into {@link TraceEvent}s for its {@link EventTrace}: the node's status before (as its last traced step left it) and after, and the messages it sent.
 * A clock tick that produced no {@code Ready} changed nothing a trace shows and is skipped without asking the core
 * for its status, so tracing costs little on the many idle ticks. Steps may nest (a step's effects may run another).
 */
final class StepTracer {

    /** Where a step began: what was sent and how many Readys were handled before it, and the status before it. */
    record Step(int sentMark, long readyMark, RaftStatus before) {
    }

    private final EventTrace trace;
    private final List<RaftMessage> sent = new ArrayList<>();
    private final Map<String, RaftStatus> lastStatus = new HashMap<>();
    private long readies;

    StepTracer(EventTrace trace) {
        this.trace = trace;
    }

    /** A step of {@code node} begins; {@code up} says whether the node is up (its core exists). */
    Step begin(String node, boolean up) {
        return new Step(sent.size(), readies, up ? lastStatus.get(node) : null);
    }

    /** The node whose step is running sent {@code message}. */
    void sent(RaftMessage message) {
        sent.add(message);
    }

    /** The node whose step is running produced a non-empty Ready. */
    void readyHandled() {
        readies++;
    }

    /**
     * The step ends: it is traced as {@code event} with {@code core}'s status after it (null core: the node is down)
     * unless it is a tick that did nothing.
     */
    void end(Step step, long now, String node, Object event, RaftCore core) {
        try {
            boolean idle = readies == step.readyMark() && sent.size() == step.sentMark();
            if (idle && TraceEvent.TIMER.equals(event)) {
                return;
            }
            RaftStatus after = core == null ? null : core.status();
            if (after == null) {
                lastStatus.remove(node);
            } else {
                lastStatus.put(node, after);
            }
            TraceEvent e = new TraceEvent(now, node, event, step.before(), after,
                    sent.subList(step.sentMark(), sent.size()));
            trace.add(e);
        } finally {
            sent.subList(step.sentMark(), sent.size()).clear();
        }
    }
}
