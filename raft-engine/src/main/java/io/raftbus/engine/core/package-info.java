/**
 * Internal: the Raft protocol core. {@link io.raftbus.engine.core.RaftCore} and the records it hands out through
 * {@link io.raftbus.engine.core.Ready} are public only so that the node runtime ({@code io.raftbus.engine}) and the
 * deterministic simulation (in raft-engine-testkit) can drive it; applications use
 * {@link io.raftbus.engine.RaftNode} instead, and these types may change in any release. So are
 * {@link io.raftbus.engine.core.ReadyHandler} and {@link io.raftbus.engine.core.ReadyEffects}, which carry out a
 * {@code Ready} the same way for both, and {@link io.raftbus.engine.core.SnapshotRecovery}, run at start. Every other
 * class here is package-private: the per-role behaviour ({@code Leader}, {@code Follower}, {@code Voter}), the leader's
 * state, command intake, forwarding, proposal outcomes, snapshots ({@code SnapshotPolicy}, {@code SnapshotSender},
 * {@code SnapshotReceiver}) and the small pure units they use.
 */
package io.raftbus.engine.core;
