package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.core.ReadyHandler;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Membership;

import java.util.HashSet;
import java.util.Set;

/**
 * One simulated node: its durable log and snapshot store (kept across crashes) and, while up, its core; its model
 * state machine is lost at a crash unless the simulation models a durable one.
 */
final class SimNode {

    final String id;
    final InvariantChecker.NodeLog view;
    /** The membership the node is started with, every time: the cluster's, or for a joining node the one it joins. */
    final Membership start;
    /** Stopped for good (removed from the cluster, or never added): never restarted. */
    boolean retired;
    /** The node's raw log, kept across a crash (for a factory-built log, reopened by the factory). */
    LogAPI log;
    RaftCore core;
    /** Carries out the current incarnation's {@link io.raftbus.engine.core.Ready}s, as the runtime does. */
    ReadyHandler readyHandler;
    RaftStatus status;
    /** The state machine: what the current incarnation applied (or restored), with its digest. */
    final ModelStateMachine model = new ModelStateMachine();
    /** The node's snapshot store, kept across crashes; null when the simulation runs without snapshots. */
    InMemorySnapshotStore store;
    /** Proposals submitted to the current incarnation whose outcome is not known yet. */
    final Set<Long> outstanding = new HashSet<>();
    int incarnation;
    /** The core handed messages to send before its next append (a leader's batch sent ahead of its own write). */
    boolean sentAhead;

    SimNode(String id, InvariantChecker.NodeLog view, Membership start) {
        this.id = id;
        this.view = view;
        this.start = start;
    }

    boolean isUp() {
        return core != null;
    }

    Role role() {
        return status == null ? null : status.role();
    }

    long term() {
        return status == null ? 0 : status.term();
    }
}
