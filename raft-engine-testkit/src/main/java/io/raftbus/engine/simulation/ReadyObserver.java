package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.core.Ready;
import io.raftbus.engine.message.RaftMessage;

/**
 * Sees every non-empty {@link Ready} a simulated node's core produces, in the order the simulation handles them,
 * with the node's status right after it. Used to record a run (see {@link ReadyRecorder}).
 */
@FunctionalInterface
public interface ReadyObserver {

    /**
     * Called once per non-empty {@link Ready}, before the simulation carries out its effects.
     *
     * @param nodeId the node whose core produced it
     * @param nowMs the simulation's virtual time
     * @param ready what the core produced
     * @param status the node's status as the core reports it after producing {@code ready}
     */
    void onReady(String nodeId, long nowMs, Ready ready, RaftStatus status);

    /**
     * Called for each message a node's core sends before its next {@link Ready} (a leader's batch sent ahead of its
     * own append, {@link io.raftbus.engine.core.RaftCore#earlySendSink}), in order, as it is sent.
     */
    default void onEarlySend(String nodeId, long nowMs, RaftMessage message) {
    }
}
