package io.raftbus.engine.snapshot;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SnapshotStore} in one directory of its own: each snapshot is one file, a header with its metadata (index,
 * term, membership, size, CRC32C; see {@link SnapshotFileFormat}) followed by its bytes, named after its index, term
 * and checksum.
 *
 * <p>Crash consistency: a snapshot is written to a temporary file ({@code .snap.part}), fsynced, renamed atomically
 * to its final name, and the directory fsynced; only then is it visible. {@link #open(Path)} deletes temporary files
 * a crash left behind.
 *
 * <p>Corrupt files: a {@code .snap} file whose header is unreadable (wrong magic, version or header checksum) or
 * whose length does not match its header is <em>skipped with a warning</em> and left in place for inspection
 * ({@link #skippedFiles()}); the store carries on with the others. That is safe: a node restoring from an older
 * snapshot replays the log after it, and if the log was compacted past every readable snapshot,
 * {@code SnapshotRecovery} refuses to start with a clear error. The snapshot's bytes are checked against their CRC32C
 * when read whole through {@link #open(SnapshotInfo)} (the stream throws at its end on a mismatch), and by the
 * receiver of chunks sent with {@link #read}.
 *
 * <p>Retention: after each commit only the two snapshots with the highest indexes are kept; older files are deleted.
 * Reading a deleted one throws {@link NoSuchFileException}. Thread-safe.
 */
public final class FileSnapshotStore implements SnapshotStore {

    /** Snapshots kept: the latest two, so a leader still sending the previous one can finish. */
    public static final int RETAINED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final Comparator<SnapshotInfo> ORDER = Comparator.comparingLong(SnapshotInfo::index)
            .thenComparingLong(SnapshotInfo::term).thenComparingLong(SnapshotInfo::checksum);

    private final Path directory;
    private final TreeMap<SnapshotInfo, Path> snapshots = new TreeMap<>(ORDER);
    private final Set<FileSnapshotWriter> writers = new HashSet<>();
    private final List<Path> skipped;
    private final AtomicLong tempIds = new AtomicLong();
    private boolean closed;

    private FileSnapshotStore(Path directory, TreeMap<SnapshotInfo, Path> found, List<Path> skipped) {
        this.directory = directory;
        this.snapshots.putAll(found);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Opens the store in {@code directory} (created if missing): deletes temporary files left by a crash, reads
     * every snapshot's header, skips corrupt files with a warning, and applies retention.
     *
     * @throws IOException the directory cannot be created or listed
     */
    public static FileSnapshotStore open(Path directory) throws IOException {
        Path dir = Files.createDirectories(Objects.requireNonNull(directory, "directory")).toAbsolutePath();
        List<Path> skipped = new ArrayList<>();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                found.add(file);
            }
        }
        TreeMap<SnapshotInfo, Path> valid = new TreeMap<>(ORDER);
        for (Path file : found) {
            String name = file.getFileName().toString();
            if (name.endsWith(SnapshotFileFormat.TEMP_SUFFIX)) {
                LOG.info("snapshot store {}: deleting {}, a snapshot left unfinished", dir, name);
                Files.deleteIfExists(file);
            } else if (name.endsWith(SnapshotFileFormat.SUFFIX)) {
                try {
                    SnapshotInfo info = readInfo(file);
                    valid.put(info, file);
                } catch (IOException e) {
                    LOG.warn("snapshot store {}: skipping {}, not a valid snapshot file: {}", dir, name,
                            e.getMessage());
                    skipped.add(file);
                }
            }
        }
        FileSnapshotStore store = new FileSnapshotStore(dir, valid, skipped);
        synchronized (store) {
            store.applyRetention();
        }
        return store;
    }

    /** The directory this store keeps its files in. */
    public Path directory() {
        return directory;
    }

    /** Files that looked like snapshots but were corrupt when the store opened (left in place, never used). */
    public List<Path> skippedFiles() {
        return skipped;
    }

    /** The snapshots retained, lowest index first. */
    public synchronized List<SnapshotInfo> snapshots() {
        return List.copyOf(snapshots.keySet());
    }

    @Override
    public synchronized Optional<SnapshotInfo> latest() {
        return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.lastKey());
    }

    @Override
    public SnapshotWriter create(long index, long term, Membership membership) throws IOException {
        Objects.requireNonNull(membership, "membership");
        if (index < 1 || term < 1) {
            throw new IllegalArgumentException("invalid snapshot: index " + index + ", term " + term);
        }
        Path temp = directory.resolve(String.format("snapshot-%020d-%020d-%d%s", index, term,
                tempIds.incrementAndGet(), SnapshotFileFormat.TEMP_SUFFIX));
        synchronized (this) {
            checkOpen();
            FileSnapshotWriter writer = new FileSnapshotWriter(this, temp, index, term, membership);
            writers.add(writer);
            return writer;
        }
    }

    @Override
    public InputStream open(SnapshotInfo snapshot) throws IOException {
        FileChannel channel = FileChannel.open(pathOf(snapshot), StandardOpenOption.READ);
        try {
            channel.position(headerLength(channel));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new VerifyingInputStream(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024),
                snapshot);
    }

    @Override
    public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) throws IOException {
        if (offset < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("offset " + offset + ", maxBytes " + maxBytes);
        }
        int n = (int) Math.max(0, Math.min(maxBytes, snapshot.sizeBytes() - offset));
        if (n == 0) {
            return new byte[0];
        }
        try (FileChannel channel = FileChannel.open(pathOf(snapshot), StandardOpenOption.READ)) {
            long start = headerLength(channel) + offset;
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    throw new IOException("snapshot file of " + snapshot + " ends before its size");
                }
            }
            return buffer.array();
        }
    }

    /** Aborts writers not committed; reads and writes fail afterwards. Idempotent. */
    @Override
    public void close() {
        List<FileSnapshotWriter> open;
        synchronized (this) {
            closed = true;
            open = List.copyOf(writers);
        }
        open.forEach(FileSnapshotWriter::abort); // outside the lock: a writer's commit takes its lock, then ours
    }

    @Override
    public String toString() {
        return "FileSnapshotStore[" + directory + "]";
    }

    /** Called by a writer with its fsynced temporary file: renames it into place, fsyncs the directory. */
    void publish(FileSnapshotWriter writer, Path temp, SnapshotInfo info) throws IOException {
        synchronized (this) {
            checkOpen();
            Path target = directory.resolve(SnapshotFileFormat.fileName(info.index(), info.term(), info.checksum()));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("snapshot store " + directory + " needs a file system with atomic rename", e);
            }
            fsyncDirectory();
            writers.remove(writer);
            snapshots.put(info, target);
            applyRetention();
        }
    }

    /** Called by a writer that aborted. */
    synchronized void forget(FileSnapshotWriter writer) {
        writers.remove(writer);
    }

    private void applyRetention() {
        while (snapshots.size() > RETAINED) {
            var oldest = snapshots.pollFirstEntry();
            try {
                Files.deleteIfExists(oldest.getValue());
            } catch (IOException e) {
                LOG.warn("snapshot store {}: could not delete the old snapshot {}", directory, oldest.getValue(), e);
            }
        }
    }

    private synchronized Path pathOf(SnapshotInfo snapshot) throws IOException {
        checkOpen();
        SnapshotInfo held = snapshots.ceilingKey(snapshot);
        Path path = sameSnapshot(held, snapshot) ? snapshots.get(held) : null;
        if (path == null) {
            throw new NoSuchFileException(directory.resolve(SnapshotFileFormat.fileName(snapshot.index(),
                    snapshot.term(), snapshot.checksum())).toString(), null, "snapshot not retained: " + snapshot);
        }
        return path;
    }

    private static boolean sameSnapshot(SnapshotInfo a, SnapshotInfo b) {
        return a != null && a.sameAs(b.index(), b.term(), b.sizeBytes(), b.checksum());
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("snapshot store " + directory + " is closed");
        }
    }

    private static int headerLength(FileChannel channel) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(SnapshotFileFormat.PREFIX_BYTES);
        readFully(channel, prefix, 0);
        return SnapshotFileFormat.headerLength(prefix);
    }

    /** The metadata of a committed snapshot file, checked against its name and length. */
    private static SnapshotInfo readInfo(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int length = headerLength(channel);
            ByteBuffer header = ByteBuffer.allocate(length);
            readFully(channel, header, 0);
            SnapshotFileFormat.Header h = SnapshotFileFormat.parse(header.array());
            long[] named = SnapshotFileFormat.parseName(file.getFileName().toString());
            if (named == null || named[0] != h.index() || named[1] != h.term() || named[2] != h.checksum()) {
                throw new SnapshotFileFormat.CorruptSnapshotException("its name does not match its header (index "
                        + h.index() + ", term " + h.term() + ")");
            }
            long expected = length + h.sizeBytes();
            if (channel.size() != expected) {
                throw new SnapshotFileFormat.CorruptSnapshotException("file is " + channel.size()
                        + " bytes, its header says " + expected);
            }
            return new SnapshotInfo(h.index(), h.term(), h.membership(), h.sizeBytes(), h.checksum());
        } catch (IllegalArgumentException e) { // SnapshotInfo's own checks
            throw new SnapshotFileFormat.CorruptSnapshotException(e.getMessage());
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SnapshotFileFormat.CorruptSnapshotException("file ends inside its header");
            }
        }
    }

    /** Makes the rename durable. Some platforms (Windows) cannot open a directory: the rename is then all we do. */
    private void fsyncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }
}
