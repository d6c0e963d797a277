package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A simulated node's {@link SnapshotStore}, in memory, kept across the node's crashes like its log: committed
 * snapshots survive a {@link #crash()}, writers not committed by then vanish (their commit fails). It retains the two
 * committed snapshots with the highest indexes; reading an older one throws {@link NoSuchFileException}. Counts what
 * it did, for reports.
 */
final class SimSnapshotStore implements SnapshotStore {

    private static final int RETAINED = 2;

    private final Map<SnapshotInfo, byte[]> committed = new LinkedHashMap<>();
    private final Set<Writer> open = new HashSet<>();
    private long commits;
    private long chunkReads;

    @Override
    public synchronized Optional<SnapshotInfo> latest() {
        return committed.keySet().stream().max(Comparator.comparingLong(SnapshotInfo::index));
    }

    @Override
    public synchronized SnapshotWriter create(long index, long term, Membership membership) {
        Writer w = new Writer(index, term, membership);
        open.add(w);
        return w;
    }

    @Override
    public synchronized InputStream open(SnapshotInfo snapshot) throws IOException {
        return new ByteArrayInputStream(bytes(snapshot));
    }

    @Override
    public synchronized byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) throws IOException {
        byte[] all = bytes(snapshot);
        if (offset < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("offset " + offset + ", maxBytes " + maxBytes);
        }
        chunkReads++;
        int from = (int) Math.min(offset, all.length);
        return Arrays.copyOfRange(all, from, (int) Math.min(all.length, from + (long) maxBytes));
    }

    /** Aborts the writers not committed yet. */
    @Override
    public synchronized void close() {
        crash();
    }

    /** The node crashed: every writer not committed yet is lost. */
    synchronized void crash() {
        for (Writer w : new ArrayList<>(open)) {
            w.abort();
        }
    }

    /** Snapshots committed so far (written locally or received). */
    synchronized long commits() {
        return commits;
    }

    /** Chunk reads served so far. */
    synchronized long chunkReads() {
        return chunkReads;
    }

    private byte[] bytes(SnapshotInfo snapshot) throws NoSuchFileException {
        byte[] b = committed.get(snapshot);
        if (b == null) {
            throw new NoSuchFileException("snapshot " + snapshot + " is not retained");
        }
        return b;
    }

    private synchronized SnapshotInfo commit(Writer w) throws IOException {
        if (!open.remove(w)) {
            throw new IOException("the snapshot writer at index " + w.index + " was aborted (or its node crashed)");
        }
        byte[] data = w.out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(data);
        SnapshotInfo info = new SnapshotInfo(w.index, w.term, w.membership, data.length, crc.getValue());
        committed.put(info, data);
        commits++;
        while (committed.size() > RETAINED) {
            SnapshotInfo oldest = committed.keySet().stream().min(Comparator.comparingLong(SnapshotInfo::index))
                    .orElseThrow();
            committed.remove(oldest);
        }
        return info;
    }

    private synchronized void discard(Writer w) {
        open.remove(w);
    }

    private final class Writer implements SnapshotWriter {
        private final long index;
        private final long term;
        private final Membership membership;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer(long index, long term, Membership membership) {
            this.index = index;
            this.term = term;
            this.membership = membership;
        }

        @Override
        public OutputStream stream() {
            return out;
        }

        @Override
        public long bytesWritten() {
            return out.size();
        }

        @Override
        public SnapshotInfo commit() throws IOException {
            return SimSnapshotStore.this.commit(this);
        }

        @Override
        public void abort() {
            discard(this);
        }
    }

    /** The committed snapshots, for tests. */
    synchronized List<SnapshotInfo> snapshots() {
        return List.copyOf(committed.keySet());
    }
}
