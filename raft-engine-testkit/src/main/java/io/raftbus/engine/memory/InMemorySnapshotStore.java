package io.raftbus.engine.memory;

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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A {@link SnapshotStore} kept in memory (byte arrays), for tests and the simulation: "durable" means "survives a
 * simulated crash of the node that uses it" (keep the instance across a restart and call {@link #crash()}, which
 * discards the writers not committed, as a real crash would). Keeps the two committed snapshots with the highest
 * index; reading an older one throws {@link NoSuchFileException}. Thread-safe.
 */
public final class InMemorySnapshotStore implements SnapshotStore {

    /** How many committed snapshots are kept. */
    public static final int RETAINED = 2;

    private final List<Stored> committed = new ArrayList<>();
    private final Set<Writer> open = new HashSet<>();
    private boolean closed;

    @Override
    public synchronized Optional<SnapshotInfo> latest() {
        checkOpen();
        return committed.stream().map(Stored::info).max(Comparator.comparingLong(SnapshotInfo::index));
    }

    /** Every committed snapshot still retained, lowest index first. */
    public synchronized List<SnapshotInfo> retained() {
        return committed.stream().map(Stored::info).sorted(Comparator.comparingLong(SnapshotInfo::index)).toList();
    }

    @Override
    public synchronized SnapshotWriter create(long index, long term, Membership membership) throws IOException {
        checkOpen();
        Objects.requireNonNull(membership, "membership");
        if (index < 1 || term < 1) {
            throw new IllegalArgumentException("invalid snapshot: index " + index + ", term " + term);
        }
        Writer w = new Writer(index, term, membership);
        open.add(w);
        return w;
    }

    @Override
    public InputStream open(SnapshotInfo snapshot) throws IOException {
        return new ByteArrayInputStream(bytesOf(snapshot));
    }

    @Override
    public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) throws IOException {
        if (offset < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("offset " + offset + ", maxBytes " + maxBytes);
        }
        byte[] all = bytesOf(snapshot);
        if (offset >= all.length) {
            return new byte[0];
        }
        int from = (int) offset;
        return Arrays.copyOfRange(all, from, (int) Math.min(all.length, (long) from + maxBytes));
    }

    /** Models a crash of the process: every writer not committed is discarded and can no longer commit. */
    public synchronized void crash() {
        for (Writer w : open) {
            w.discarded = true;
        }
        open.clear();
    }

    /** Number of writers created and neither committed nor aborted (nor discarded by {@link #crash()}). */
    public synchronized int openWriters() {
        return open.size();
    }

    /** Aborts the open writers and refuses further use; {@link #reopen()} models a restart. */
    @Override
    public synchronized void close() {
        crash();
        closed = true;
    }

    /** Reopens a closed store with its committed snapshots intact, as a restarted process would find them. */
    public synchronized InMemorySnapshotStore reopen() {
        closed = false;
        return this;
    }

    private synchronized byte[] bytesOf(SnapshotInfo snapshot) throws IOException {
        checkOpen();
        for (Stored s : committed) {
            if (s.info.equals(snapshot)) {
                return s.bytes;
            }
        }
        throw new NoSuchFileException("snapshot " + snapshot.index() + "@" + snapshot.term() + " is not retained");
    }

    private synchronized SnapshotInfo commit(Writer w) throws IOException {
        checkOpen();
        if (w.discarded || !open.remove(w)) {
            throw new IOException("snapshot writer at index " + w.index + " was aborted or discarded");
        }
        byte[] bytes = w.out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        SnapshotInfo info = new SnapshotInfo(w.index, w.term, w.membership, bytes.length, crc.getValue());
        committed.add(new Stored(info, bytes));
        committed.sort(Comparator.comparingLong((Stored s) -> s.info.index()).reversed());
        while (committed.size() > RETAINED) {
            committed.remove(committed.size() - 1);
        }
        return info;
    }

    private synchronized void abort(Writer w) {
        open.remove(w);
        w.discarded = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot store is closed");
        }
    }

    private record Stored(SnapshotInfo info, byte[] bytes) {
    }

    private final class Writer implements SnapshotWriter {
        private final long index;
        private final long term;
        private final Membership membership;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private volatile boolean discarded;
        private boolean committedOnce;

        private Writer(long index, long term, Membership membership) {
            this.index = index;
            this.term = term;
            this.membership = membership;
        }

        @Override
        public OutputStream stream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    checkWritable();
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    checkWritable();
                    out.write(b, off, len);
                }
            };
        }

        private void checkWritable() throws IOException {
            if (discarded || committedOnce) {
                throw new IOException("snapshot writer at index " + index + " is no longer open");
            }
        }

        @Override
        public long bytesWritten() {
            return out.size();
        }

        @Override
        public SnapshotInfo commit() throws IOException {
            if (committedOnce) {
                throw new IOException("snapshot writer at index " + index + " already committed");
            }
            SnapshotInfo info = InMemorySnapshotStore.this.commit(this);
            committedOnce = true;
            return info;
        }

        @Override
        public void abort() {
            if (!committedOnce) {
                InMemorySnapshotStore.this.abort(this);
            }
        }
    }
}
