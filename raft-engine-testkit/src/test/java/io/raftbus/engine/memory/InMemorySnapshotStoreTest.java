package io.raftbus.engine.memory;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemorySnapshotStoreTest {

    private static final Membership ABC = Membership.ofVoters(Set.of("a", "b", "c"));

    private final InMemorySnapshotStore store = new InMemorySnapshotStore();

    private SnapshotInfo write(long index, long term, String content) throws IOException {
        SnapshotWriter w = store.create(index, term, ABC);
        w.stream().write(content.getBytes(StandardCharsets.UTF_8));
        return w.commit();
    }

    @Test
    void aCommittedSnapshotIsTheLatestAndReadsBackInChunks() throws IOException {
        assertEquals(Optional.empty(), store.latest());
        SnapshotInfo info = write(5, 2, "hello world");
        CRC32C crc = new CRC32C();
        crc.update("hello world".getBytes(StandardCharsets.UTF_8));
        assertEquals(new SnapshotInfo(5, 2, ABC, 11, crc.getValue()), info);
        assertEquals(Optional.of(info), store.latest());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), store.read(info, 0, 5));
        assertArrayEquals(" world".getBytes(StandardCharsets.UTF_8), store.read(info, 5, 100));
        assertEquals(0, store.read(info, 11, 5).length);
        assertArrayEquals("hello world".getBytes(StandardCharsets.UTF_8), store.open(info).readAllBytes());
    }

    @Test
    void anUncommittedOrAbortedWriterLeavesNoTrace() throws IOException {
        SnapshotWriter aborted = store.create(3, 1, ABC);
        aborted.stream().write(1);
        aborted.abort();
        aborted.abort();
        assertThrows(IOException.class, aborted::commit);
        SnapshotWriter crashed = store.create(4, 1, ABC);
        crashed.stream().write(2);
        assertEquals(1, store.openWriters());
        store.crash();
        assertEquals(0, store.openWriters());
        assertThrows(IOException.class, crashed::commit);
        assertEquals(Optional.empty(), store.latest());
    }

    @Test
    void keepsTheTwoHighestSnapshots() throws IOException {
        SnapshotInfo first = write(1, 1, "a");
        SnapshotInfo second = write(2, 1, "b");
        SnapshotInfo third = write(3, 1, "c");
        assertEquals(List.of(second, third), store.retained());
        assertEquals(Optional.of(third), store.latest());
        assertThrows(NoSuchFileException.class, () -> store.read(first, 0, 1));
        assertArrayEquals(new byte[] {'b'}, store.read(second, 0, 1));
    }

    @Test
    void survivesCloseAndReopen() throws IOException {
        SnapshotInfo info = write(7, 3, "state");
        store.close();
        assertThrows(IllegalStateException.class, store::latest);
        store.reopen();
        assertEquals(Optional.of(info), store.latest());
    }
}
