/**
 * Internal (an example to read, not an API): an application on {@link io.raftbus.sqlite.SqliteStateMachine}, an
 * account ledger whose balances and the node's last-applied index commit in one transaction; its snapshots (of both its tables) come
 * from the base class unchanged.
 */
package io.raftbus.sqlite.example;
