package io.raftbus.engine.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Durable storage for snapshots of the state machine, beside the node's {@link LogAPI}. The node writes a snapshot
 * when its policy says so (or on demand), sends one in chunks to a follower that needs entries its log no longer
 * holds, receives one from its leader, and restores the state machine from the latest at start.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #latest()} is the committed snapshot with the highest index (any of them if several share it). A
 *       snapshot is never visible half-written, even after a crash at any point (temporary file, fsync, rename,
 *       fsync of the directory, or equivalent).</li>
 *   <li>The store keeps at least the latest two committed snapshots, so a leader still sending the previous one
 *       to a follower can finish; an older one may be deleted, and reading it then throws
 *       {@link java.nio.file.NoSuchFileException} (the sender starts over with the latest).</li>
 *   <li>Thread-safe: the snapshot thread writes a new snapshot while the event loop reads chunks of another or
 *       writes one received from the leader.</li>
 * </ul>
 */
public interface SnapshotStore extends AutoCloseable {

    /** The committed snapshot with the highest index, if any. */
    Optional<SnapshotInfo> latest();

    /**
     * Starts writing a snapshot of the state at {@code index}; it becomes visible when its writer commits.
     *
     * @param index last log index the snapshot covers
     * @param term term of the entry at {@code index}
     * @param membership membership in force at {@code index}
     */
    SnapshotWriter create(long index, long term, Membership membership) throws IOException;

    /** Reads the whole of a committed snapshot, from its first byte (to restore a state machine). */
    InputStream open(SnapshotInfo snapshot) throws IOException;

    /**
     * Reads up to {@code maxBytes} of a committed snapshot from {@code offset} (a chunk to send); fewer only at its
     * end, and none at or past its end.
     *
     * @throws java.nio.file.NoSuchFileException the snapshot is no longer retained
     */
    byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) throws IOException;

    /** Releases the store's resources; writers not committed are aborted. */
    @Override
    void close();
}
