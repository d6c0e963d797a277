/**
 * Client sessions (Ongaro's thesis §6.3): exactly-once commands. A client registers a session (its id is the
 * registration's log index), numbers its commands, and retries a command with the same number until it gets an
 * answer; the replicated {@link io.raftbus.engine.session.SessionTable} applies each (session, seq) at most once and
 * answers retries with the first application's result. Sessions expire in log time stamped by the leader
 * ({@link io.raftbus.engine.session.LogTimeStamper}). Turned on per cluster with
 * {@code RaftNode.Builder.sessions(idleTimeoutMs)}; every node of a cluster must agree.
 */
package io.raftbus.engine.session;
