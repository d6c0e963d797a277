package io.raftbus.engine;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The node's snapshot store behind its {@link CrashGate}: after {@link RaftNode#crash()} no snapshot is started or
 * committed (a write under way stays invisible, as after a real crash), whether the event loop receives it from the
 * leader or the snapshot thread writes it. Reads pass freely: they change nothing.
 */
final class GatedSnapshotStore implements SnapshotStore {

    private final SnapshotStore store;
    private final CrashGate gate;

    GatedSnapshotStore(SnapshotStore store, CrashGate gate) {
        this.store = store;
        this.gate = gate;
    }

    @Override
    public Optional<SnapshotInfo> latest() {
        return store.latest();
    }

    @Override
    public SnapshotWriter create(long index, long term, Membership membership) throws IOException {
        SnapshotWriter writer = unchecked(() -> store.create(index, term, membership));
        return new SnapshotWriter() {
            @Override
            public OutputStream stream() {
                return writer.stream();
            }

            @Override
            public long bytesWritten() {
                return writer.bytesWritten();
            }

            @Override
            public SnapshotInfo commit() throws IOException {
                return unchecked(writer::commit);
            }

            @Override
            public void abort() {
                writer.abort();
            }
        };
    }

    @Override
    public InputStream open(SnapshotInfo snapshot) throws IOException {
        return store.open(snapshot);
    }

    @Override
    public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) throws IOException {
        return store.read(snapshot, offset, maxBytes);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    /** Runs {@code call} through the gate; its IOException comes out as itself. */
    private <T> T unchecked(IoCall<T> call) throws IOException {
        try {
            return gate.pass(() -> {
                try {
                    return call.call();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
