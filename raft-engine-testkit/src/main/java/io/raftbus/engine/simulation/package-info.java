/**
 * Public test API (raft-engine-testkit, test scope): the deterministic simulation.
 * {@link io.raftbus.engine.simulation.Simulation} runs protocol cores on a virtual clock over a faulty network with
 * crashes and failing logs, checking safety invariants after every step; every run is reproduced from its seed. With
 * snapshots on, each node also has a snapshot store kept across crashes, and a model state machine whose running
 * digest must agree on every node at every index, however the node got there.
 * {@link io.raftbus.engine.simulation.RandomFaultScenario} is one randomized run, {@link
 * io.raftbus.engine.simulation.SeedSweep} and {@link io.raftbus.engine.simulation.LongRun} run many, and
 * {@link io.raftbus.engine.simulation.ReadyRecorder} fingerprints runs to prove a refactor of the core changed
 * nothing. A {@link io.raftbus.engine.simulation.TraceObserver} sees every step of a run, as
 * {@code io.raftbus.engine.trace.TraceMain} shows a seed's (see docs/TRACES.md).
 *
 * <p>The package's non-public types (the simulated node, the invariant checker, the observed log, the event trace
 * and its step tracer) are internal.
 */
package io.raftbus.engine.simulation;
