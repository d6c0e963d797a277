package io.raftbus.engine.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A snapshot being written into a {@link SnapshotStore}: bytes go to {@link #stream()}, and the snapshot exists only
 * once {@link #commit()} returned. Until then a crash or {@link #abort()} leaves no trace the store would return.
 * Used by one thread at a time.
 */
public interface SnapshotWriter extends AutoCloseable {

    /** Where the snapshot's bytes go, in order. Closing it is not needed (and does not commit). */
    OutputStream stream();

    /** Bytes written so far. */
    long bytesWritten();

    /**
     * Makes the snapshot durable and visible as one step (for a file store: fsync, rename, fsync the directory), then
     * returns it; its checksum is the CRC32C of the bytes written. Older snapshots beyond what the store retains may
     * be deleted afterwards.
     *
     * @throws IOException nothing was committed
     */
    SnapshotInfo commit() throws IOException;

    /** Discards what was written; nothing becomes visible. Safe to call after a failed commit, and more than once. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
