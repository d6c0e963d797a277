/**
 * Public test API (raft-engine-testkit, test scope): an in-memory {@link io.raftbus.engine.spi.LogAPI}
 * ({@link io.raftbus.engine.memory.InMemoryLog}, with compaction), an in-memory
 * {@link io.raftbus.engine.spi.SnapshotStore} ({@link io.raftbus.engine.memory.InMemorySnapshotStore}) and an
 * in-memory network of transports
 * ({@link io.raftbus.engine.memory.InMemoryNetwork}), to run real {@code RaftNode}s in one JVM without Kafka or disk.
 * Not durable: never for production.
 */
package io.raftbus.engine.memory;
