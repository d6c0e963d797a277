package io.raftbus.engine.snapshot;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FileSnapshotStore}: round trip, crash leftovers, retention, corrupt files, concurrent use. */
class FileSnapshotStoreTest {

    private static final Membership MEMBERS = Membership.ofVoters(Set.of("n1", "n2", "n3"));

    @TempDir
    Path dir;

    @Test
    void aCommittedSnapshotReadsBackWholeAndInChunksAfterReopening() throws IOException {
        byte[] data = randomBytes(200_000, 1);
        SnapshotInfo info;
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.empty(), store.latest());
            info = write(store, 7, 2, data);
            assertEquals(new SnapshotInfo(7, 2, MEMBERS, data.length, crc(data)), info);
            assertEquals(Optional.of(info), store.latest());
        }
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.of(info), store.latest(), "metadata survives reopening");
            assertArrayEquals(data, readAll(store, info));
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (long offset = 0; offset < data.length; offset += 65_536) {
                chunks.write(store.read(info, offset, 65_536));
            }
            assertArrayEquals(data, chunks.toByteArray());
            assertEquals(0, store.read(info, data.length, 10).length, "nothing at its end");
            assertEquals(5, store.read(info, data.length - 5, 10).length, "fewer only at its end");
        }
    }

    @Test
    void anEmptySnapshotIsValid() throws IOException {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            SnapshotInfo info = write(store, 1, 1, new byte[0]);
            assertEquals(0, info.sizeBytes());
            assertArrayEquals(new byte[0], readAll(store, info));
        }
    }

    @Test
    void anAbortedOrUnfinishedWriteLeavesNothingVisibleAndItsLeftoversAreDeletedAtOpen() throws IOException {
        SnapshotInfo committed;
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            committed = write(store, 5, 1, bytes("five"));
            SnapshotWriter aborted = store.create(9, 1, MEMBERS);
            aborted.stream().write(bytes("nine"));
            aborted.abort();
            SnapshotWriter unfinished = store.create(10, 1, MEMBERS); // the "crash": never committed nor aborted
            unfinished.stream().write(bytes("ten"));
            unfinished.stream().flush();
            assertEquals(Optional.of(committed), store.latest());
        }
        // a crash also leaves temporary files behind (close aborted the unfinished writer above): simulate one
        Files.write(dir.resolve("snapshot-00000000000000000011-00000000000000000001-3.snap.part"), bytes("junk"));
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.of(committed), store.latest());
            assertEquals(List.of(), store.skippedFiles());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(SnapshotFileFormat.fileName(5, 1, committed.checksum())),
                    files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void keepsTheTwoHighestAndReadingADeletedOneThrowsNoSuchFile() throws IOException {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            SnapshotInfo first = write(store, 10, 1, bytes("a"));
            SnapshotInfo second = write(store, 20, 1, bytes("b"));
            SnapshotInfo third = write(store, 30, 2, bytes("c"));
            assertEquals(List.of(second, third), store.snapshots());
            assertThrows(NoSuchFileException.class, () -> store.read(first, 0, 10));
            assertThrows(NoSuchFileException.class, () -> store.open(first));
            assertArrayEquals(bytes("b"), store.read(second, 0, 10), "the previous one is still readable");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void anotherSnapshotWithTheSameIndexIsNotReadAsTheOneAsked() throws IOException {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            SnapshotInfo held = write(store, 10, 1, bytes("held"));
            SnapshotInfo other = new SnapshotInfo(10, 1, MEMBERS, held.sizeBytes(), held.checksum() ^ 1);
            assertThrows(NoSuchFileException.class, () -> store.read(other, 0, 10));
        }
    }

    @Test
    void aCorruptHeaderIsSkippedWithAWarningAndTheOthersStillServe() throws IOException {
        SnapshotInfo older;
        SnapshotInfo newer;
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            older = write(store, 10, 1, bytes("older"));
            newer = write(store, 20, 1, bytes("newer"));
        }
        Path newerFile = dir.resolve(SnapshotFileFormat.fileName(20, 1, newer.checksum()));
        try (RandomAccessFile file = new RandomAccessFile(newerFile.toFile(), "rw")) {
            file.seek(12); // inside the index field: the header's checksum no longer matches
            file.write(0x7f);
        }
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.of(older), store.latest());
            assertEquals(List.of(newerFile), store.skippedFiles());
            assertTrue(Files.exists(newerFile), "left in place for inspection");
        }
    }

    @Test
    void aTruncatedFileIsSkipped() throws IOException {
        SnapshotInfo info;
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            info = write(store, 10, 1, randomBytes(1000, 2));
        }
        Path file = dir.resolve(SnapshotFileFormat.fileName(10, 1, info.checksum()));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 1);
        }
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.empty(), store.latest());
            assertEquals(1, store.skippedFiles().size());
        }
    }

    @Test
    void damagedBytesFailTheWholeReadAtItsEnd() throws IOException {
        byte[] data = randomBytes(5000, 3);
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            SnapshotInfo info = write(store, 10, 1, data);
            Path file = dir.resolve(SnapshotFileFormat.fileName(10, 1, info.checksum()));
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() - 100);
                raf.write(raf.read() ^ 0xff);
            }
            IOException e = assertThrows(IOException.class, () -> readAll(store, info));
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
    }

    @Test
    void closingAbortsAnUnfinishedWriterAndLaterCallsFail() throws IOException {
        FileSnapshotStore store = FileSnapshotStore.open(dir);
        SnapshotWriter writer = store.create(3, 1, MEMBERS);
        writer.stream().write(bytes("partial"));
        store.close();
        assertThrows(IOException.class, writer::commit);
        assertThrows(IOException.class, () -> store.create(4, 1, MEMBERS));
        try (FileSnapshotStore reopened = FileSnapshotStore.open(dir)) {
            assertEquals(Optional.empty(), reopened.latest());
        }
    }

    @Test
    void aWriterAndAReaderWorkAtOnce() throws Exception {
        byte[] base = randomBytes(300_000, 4);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (FileSnapshotStore store = FileSnapshotStore.open(dir)) {
            SnapshotInfo first = write(store, 1, 1, base);
            Future<?> writer = pool.submit(() -> {
                for (int i = 2; i <= 20; i++) {
                    write(store, i, 1, randomBytes(50_000, i));
                }
                return null;
            });
            Future<?> reader = pool.submit(() -> {
                // reads whatever is latest, chunk by chunk; a snapshot deleted under it is started over with the latest
                int completeReads = 0;
                while (!writer.isDone() || completeReads == 0) {
                    SnapshotInfo latest = store.latest().orElseThrow();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try {
                        for (long off = 0; off < latest.sizeBytes(); off += 8192) {
                            out.write(store.read(latest, off, 8192));
                        }
                    } catch (NoSuchFileException deleted) {
                        continue;
                    }
                    assertEquals(latest.checksum(), crc(out.toByteArray()), "chunks of one snapshot, intact");
                    completeReads++;
                }
                return null;
            });
            writer.get(TestDeadlines.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            reader.get(TestDeadlines.seconds(60).toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(20, store.latest().orElseThrow().index());
            assertFalse(store.snapshots().contains(first));
        } finally {
            pool.shutdownNow();
        }
    }

    private static SnapshotInfo write(FileSnapshotStore store, long index, long term, byte[] data) throws IOException {
        try (SnapshotWriter writer = store.create(index, term, MEMBERS)) {
            writer.stream().write(data);
            writer.stream().flush();
            assertEquals(data.length, writer.bytesWritten());
            return writer.commit();
        }
    }

    private static byte[] readAll(FileSnapshotStore store, SnapshotInfo info) throws IOException {
        try (InputStream in = store.open(info)) {
            return in.readAllBytes();
        }
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
