package io.raftbus.engine.core;

import io.raftbus.engine.spi.SnapshotInfo;

/**
 * A leader's progress sending one snapshot to one follower: which snapshot, the offset the follower acknowledged
 * (everything before it is stored there), the offset up to which chunks were sent, and when the acknowledged offset
 * last moved (a transfer without progress for a while is resent from the acknowledged offset; one without an
 * acknowledgement for longer is stalled, see {@link #live}).
 */
final class SnapshotTransfer {

    final SnapshotInfo snapshot;
    /** The follower holds the bytes before this offset. */
    long ackedOffset;
    /** Chunks were sent up to this offset. */
    long sentOffset;
    /** Whether the chunk ending the snapshot was sent since the last rewind (an empty snapshot has one chunk). */
    boolean doneSent;
    /** When the transfer started or last progressed, or was last resent. */
    long lastProgressAt;
    /**
     * When the follower last acknowledged more of it, or when the transfer started if the follower was heard from
     * shortly before (a resend does not count); meaningless unless {@link #progressing}.
     */
    long lastAckedAt;
    /** Whether the follower acknowledged some of it, or was heard from shortly before it started. */
    boolean progressing;
    /**
     * Whether the follower answered that it stored some of it since the transfer started or was last rewound: until
     * it does, one chunk at a time is sent (as a probe), so a follower that is down, or cannot store snapshots, is not
     * sent a window of chunks on every resend.
     */
    boolean answered;

    /** A transfer starting now; {@code followerResponsive}: its follower was heard from shortly before. */
    SnapshotTransfer(SnapshotInfo snapshot, long now, boolean followerResponsive) {
        this.snapshot = snapshot;
        this.lastProgressAt = now;
        this.lastAckedAt = now;
        this.progressing = followerResponsive;
    }

    /**
     * Whether the follower acknowledged more of it less than {@code windowMs} ago, or it started less than that ago
     * and the follower had been heard from shortly before (one down or cut off is not live).
     */
    boolean live(long now, long windowMs) {
        return progressing && now - lastAckedAt < windowMs;
    }

    /** The follower holds the bytes before {@code offset}, more than it acknowledged so far. */
    void acknowledged(long offset, long now) {
        ackedOffset = offset;
        sentOffset = Math.max(sentOffset, ackedOffset);
        lastProgressAt = now;
        lastAckedAt = now;
        progressing = true;
    }

    /** Whether {@code (index, term, checksum)} names this transfer's snapshot. */
    boolean isFor(long index, long term, long checksum) {
        return snapshot.index() == index && snapshot.term() == term && snapshot.checksum() == checksum;
    }

    /** Chunks sent and not acknowledged, with chunks of {@code chunkBytes}. */
    int inflightChunks(int chunkBytes) {
        long unacked = sentOffset - ackedOffset;
        int chunks = (int) ((unacked + chunkBytes - 1) / chunkBytes);
        return doneSent && unacked == 0 && snapshot.sizeBytes() == 0 ? 1 : chunks;
    }

    /** Sends again from the acknowledged offset. */
    void rewind(long now) {
        sentOffset = ackedOffset;
        doneSent = false;
        lastProgressAt = now;
        answered = false;
    }

    @Override
    public String toString() {
        return "snapshot " + snapshot.index() + "@" + snapshot.term() + " acked " + ackedOffset + " sent " + sentOffset
                + "/" + snapshot.sizeBytes();
    }
}
