package io.raftbus.engine.spi;

/**
 * Where a log's compacted prefix ends: entries up to {@code index} are no longer in the log (a durable snapshot at
 * {@code index} or later covers them); the log still knows the {@code term} of the entry at {@code index}.
 *
 * @param index last index covered by the snapshot (0: none)
 * @param term term of the entry at {@code index}
 */
public record SnapshotMeta(long index, long term) {

    /** No snapshot: the log starts at index 1. */
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0);
}
