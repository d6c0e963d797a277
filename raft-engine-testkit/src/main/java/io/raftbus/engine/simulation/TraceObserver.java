package io.raftbus.engine.simulation;

import io.raftbus.engine.trace.TraceEvent;

/**
 * Sees every event a {@link Simulation} handles or records, in order: each message delivered to a node, each clock
 * tick that did something (a tick that sent nothing and changed nothing, see {@link TraceEvent#isQuiet()}, is left
 * out), each submit, read, leadership transfer, start and restart, each step the snapshot machinery drives (with
 * the node's status before and after and the messages it sent), and the notes: crashes, partitions, heals, log
 * errors. Used to render a run (see {@code io.raftbus.engine.trace.TraceRecorder}).
 */
@FunctionalInterface
public interface TraceObserver {

    /** Called once per event, after the node handled it; a step that failed an invariant comes before the failure. */
    void onEvent(TraceEvent event);
}
