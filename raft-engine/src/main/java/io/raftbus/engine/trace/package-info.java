/**
 * Execution traces people read: {@link io.raftbus.engine.trace.TraceEvent} (what a node handled, how its status
 * changed, what it sent), rendered as a per-node {@link io.raftbus.engine.trace.TraceTable} or a PlantUML sequence
 * diagram ({@link io.raftbus.engine.trace.PlantUmlWriter}); {@link io.raftbus.engine.trace.NodeTrace} is a bounded
 * ring of a node's recent events. The simulation records the same events for any seed (raft-engine-testkit's
 * {@code TraceRecorder} and {@code TraceMain}); see docs/TRACES.md.
 */
package io.raftbus.engine.trace;
