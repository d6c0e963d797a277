/**
 * Public API: a durable Raft log in SQLite: {@link io.raftbus.sqlite.SqliteLog} (one database file per node, WAL journal,
 * {@code synchronous=FULL}, versioned schema, ownership checks) and {@link io.raftbus.sqlite.SqliteStateMachine},
 * which commits an application's own tables together with the node's last-applied index. The log compacts its
 * prefix behind a snapshot (a bounded batch of rows per call) and installs a leader's snapshot in one transaction;
 * the state machine snapshots its tables (not the log) into a SQLite file of their own and restores them in one
 * transaction. Run with client sessions, the state machine is the engine's {@code SessionStore}: the session table
 * lives in {@code raft_session*} tables (schema version 4) and commits with each entry and each restore. Relaxing durability
 * ({@link io.raftbus.sqlite.Durability}) makes a node with peers refuse the log unless built with
 * {@code RaftNode.Builder.unsafeAllowNonDurableLog(true)}.
 *
 * <p>Offline tools: {@link io.raftbus.sqlite.SqliteLogInspector} reads a log, also while its node runs;
 * {@link io.raftbus.sqlite.MembershipRecovery} (command line {@link io.raftbus.sqlite.RecoverMembership}) rewrites a
 * stopped survivor's membership after the cluster lost its majority for good, at the risk of losing acknowledged
 * commands (docs/OPERATIONS.md).
 *
 * <p>Errors an operator can act on are {@link io.raftbus.sqlite.SqliteLogException} subclasses with messages that
 * say what to do. The package's non-public types (schema, statements, connections, error mapping) are
 * internal.
 */
package io.raftbus.sqlite;
