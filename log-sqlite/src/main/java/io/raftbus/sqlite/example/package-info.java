/**
 * Internal (an example to read, not an API): an application on {@link io.raftbus.sqlite.SqliteStateMachine}, an
 * account ledger whose balances and the node's last-applied index commit in one transaction.
 */
package io.raftbus.sqlite.example;
