/**
 * Public test API (raft-engine-testkit, test scope): {@link io.raftbus.engine.testing.RaftNodeCluster}, real nodes in
 * one JVM; {@link io.raftbus.engine.testing.PausableTransport}, which cuts a node off and heals it;
 * {@link io.raftbus.engine.testing.HoldingTransport}, which holds chosen messages back until released;
 * {@link io.raftbus.engine.testing.Await}, waits on conditions with deadlines;
 * {@link io.raftbus.engine.testing.RecordingStateMachine}, a state machine that records what it applies; and
 * {@link io.raftbus.engine.testing.Submit}, submitting as a careful client does.
 */
package io.raftbus.engine.testing;
