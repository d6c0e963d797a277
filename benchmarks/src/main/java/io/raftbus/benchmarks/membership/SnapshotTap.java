package io.raftbus.benchmarks.membership;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Transport} decorator on the joining node that records what reaches it: the arrival times of the first
 * and the last snapshot chunk, the chunk bytes and count (duplicates included: that is what was transferred), and
 * the log entries received in AppendEntries. Thread-safe; read the figures once the join is over.
 */
final class SnapshotTap extends ForwardingTransport {

    private final AtomicLong firstChunkNanos = new AtomicLong();
    private final AtomicLong lastChunkNanos = new AtomicLong();
    private final AtomicLong chunkBytes = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong snapshotTotalBytes = new AtomicLong();
    private final AtomicLong entriesReceived = new AtomicLong();
    private final AtomicLong entryBytesReceived = new AtomicLong();

    SnapshotTap(Transport delegate) {
        super(delegate);
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        super.start(localNodeId, message -> {
            if (message instanceof InstallSnapshotRequest chunk) {
                long now = System.nanoTime();
                firstChunkNanos.compareAndSet(0, now);
                lastChunkNanos.set(now);
                chunks.incrementAndGet();
                chunkBytes.addAndGet(chunk.data().length);
                snapshotTotalBytes.set(chunk.totalBytes());
            } else if (message instanceof AppendEntriesRequest append && !append.entries().isEmpty()) {
                entriesReceived.addAndGet(append.entries().size());
                entryBytesReceived.addAndGet(append.entries().stream().mapToLong(e -> e.payload().length).sum());
            }
            inbound.accept(message);
        });
    }

    /** {@link System#nanoTime()} when the first snapshot chunk arrived; 0: none. */
    long firstChunkNanos() {
        return firstChunkNanos.get();
    }

    /** {@link System#nanoTime()} when the last snapshot chunk arrived; 0: none. */
    long lastChunkNanos() {
        return lastChunkNanos.get();
    }

    long chunkBytes() {
        return chunkBytes.get();
    }

    long chunks() {
        return chunks.get();
    }

    /** The size of the snapshot the chunks belong to (the last one seen). */
    long snapshotTotalBytes() {
        return snapshotTotalBytes.get();
    }

    long entriesReceived() {
        return entriesReceived.get();
    }

    long entryBytesReceived() {
        return entryBytesReceived.get();
    }
}
