package io.raftbus.engine.spi;

/**
 * Where the log's compacted prefix ends: entries up to {@code index} live only in a snapshot. Reserved for the
 * snapshot feature; until then every log reports {@link #NONE}.
 *
 * @param index last index covered by the snapshot (0: none)
 * @param term term of the entry at {@code index}
 */
public record SnapshotMeta(long index, long term) {

    /** No snapshot: the log starts at index 1. */
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0);
}
