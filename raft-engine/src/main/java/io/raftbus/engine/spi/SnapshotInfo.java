package io.raftbus.engine.spi;

import java.util.Objects;

/**
 * A complete, durable snapshot held by a {@link SnapshotStore}: the state machine's state after applying every entry
 * up to {@code index}, with what Raft needs to continue the log after it.
 *
 * <p>Two snapshots at the same index hold the same state but not necessarily the same bytes (each node writes its
 * own), so a snapshot is identified by all of index, term, size and checksum.
 *
 * @param index last log index the snapshot covers (at least 1)
 * @param term term of the entry at {@code index}
 * @param membership the cluster membership in force at {@code index}
 * @param sizeBytes length of the snapshot's bytes
 * @param checksum CRC32C of the snapshot's bytes ({@link java.util.zip.CRC32C#getValue()})
 */
public record SnapshotInfo(long index, long term, Membership membership, long sizeBytes, long checksum) {

    public SnapshotInfo {
        Objects.requireNonNull(membership, "membership");
        if (index < 1 || term < 1 || sizeBytes < 0) {
            throw new IllegalArgumentException("invalid snapshot: index " + index + ", term " + term + ", size "
                    + sizeBytes);
        }
    }

    /** Where a log that this snapshot replaces up to its index starts: {@code (index, term)}. */
    public SnapshotMeta meta() {
        return new SnapshotMeta(index, term);
    }

    /** Whether {@code other} is the same snapshot (same index, term, size and checksum). */
    public boolean sameAs(long otherIndex, long otherTerm, long otherSize, long otherChecksum) {
        return index == otherIndex && term == otherTerm && sizeBytes == otherSize && checksum == otherChecksum;
    }
}
