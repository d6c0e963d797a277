package io.raftbus.engine.simulation;

import io.raftbus.engine.trace.TraceEvent;

/**
 * Sees every event a {@link Simulation} handles or records, in order: each message delivered to a node, each clock
 * tick of each live node, each submit, read, leadership transfer and restart (with the node's status before and
 * after and the messages it sent), and the notes (crashes, partitions, log errors). Quiet ticks are included; see
 * {@link TraceEvent#isQuiet()}. Used to render a run (see {@code io.raftbus.engine.trace.TraceRecorder}).
 */
@FunctionalInterface
public interface TraceObserver {

    /** Called once per event, after the node handled it (and before the invariants of its effects failed, if so). */
    void onEvent(TraceEvent event);
}
