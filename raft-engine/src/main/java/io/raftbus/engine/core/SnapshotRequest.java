package io.raftbus.engine.core;

import io.raftbus.engine.spi.Membership;

/**
 * The core asks its host to take a snapshot of the state machine at {@code index}: the last entry of the same
 * {@link Ready}'s committed entries, or applied before. The host captures the state right after applying them, writes
 * it to its {@link io.raftbus.engine.spi.SnapshotStore} off the event loop, and reports back with
 * {@link RaftCore#snapshotTaken} or {@link RaftCore#snapshotFailed}.
 *
 * @param index last index the snapshot covers (the state machine's last applied index)
 * @param term term of the entry at {@code index}
 * @param membership membership in force at {@code index}
 */
public record SnapshotRequest(long index, long term, Membership membership) {
}
