/**
 * Public API for transport authors: the Raft messages, as records, that a
 * {@link io.raftbus.engine.spi.Transport} carries between nodes and must deliver unchanged. Applications that only
 * embed a node never touch them.
 */
package io.raftbus.engine.message;
