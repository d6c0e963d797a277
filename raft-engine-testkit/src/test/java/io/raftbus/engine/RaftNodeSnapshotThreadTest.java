package io.raftbus.engine;

import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's snapshot thread: a write never stalls the event loop, close aborts it, a failed capture is survived. */
class RaftNodeSnapshotThreadTest {

    @TempDir
    Path dir;

    private RaftNodeCluster<SlowSnapshots> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theLoopGoesOnWhileASnapshotIsWrittenAndCloseAbortsTheUnfinishedWrite() throws IOException {
        // other test classes in this JVM run nodes named n1 too: only this node's snapshot thread counts
        Set<Thread> earlier = snapshotThreads();
        cluster = RaftNodeCluster.builder(1, SlowSnapshots::new).fileSnapshots(dir).build().start();
        RaftNode solo = cluster.awaitLeader(DEADLINE);
        SlowSnapshots machine = cluster.stateMachine("n1");
        Await.result(solo.submit(bytes("x")), DEADLINE);

        CompletableFuture<SnapshotInfo> snapshot = solo.takeSnapshot();
        Await.until("the snapshot thread to start writing", () -> machine.writing.getCount() == 0, DEADLINE);
        Await.result(solo.submit(bytes("y")), DEADLINE); // the event loop is not held up by the write
        assertFalse(snapshot.isDone());

        solo.close();

        assertInstanceOf(NodeClosedException.class,
                assertThrows(CompletionException.class, snapshot::join).getCause());
        Set<Thread> ours = snapshotThreads();
        ours.removeAll(earlier);
        assertEquals(Set.of(), ours, "snapshot thread stopped");
        try (FileSnapshotStore store = FileSnapshotStore.open(dir.resolve("n1"));
             Stream<Path> files = Files.list(dir.resolve("n1"))) {
            assertEquals(Optional.empty(), store.latest(), "nothing half-written became visible");
            assertEquals(0, files.count(), "the aborted write left no file");
        }
    }

    @Test
    void aCaptureThatThrowsFailsThatSnapshotOnlyAndTheNodeGoesOn() {
        cluster = RaftNodeCluster.builder(1, SlowSnapshots::new).memorySnapshots().build().start();
        RaftNode solo = cluster.awaitLeader(DEADLINE);
        SlowSnapshots machine = cluster.stateMachine("n1");
        machine.failCapture = true;
        Await.result(solo.submit(bytes("x")), DEADLINE);

        CompletionException e = assertThrows(CompletionException.class, () -> solo.takeSnapshot().join());

        assertInstanceOf(RaftException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("captureSnapshot"), e.getCause().getMessage());
        Await.result(solo.submit(bytes("y")), DEADLINE);
        assertTrue(solo.fatalError().isEmpty());
    }

    /** Counts applies; its snapshot writes a few bytes, then waits until interrupted (or fails to capture). */
    static final class SlowSnapshots implements StateMachine {
        final CountDownLatch writing = new CountDownLatch(1);
        volatile boolean failCapture;

        @Override
        public byte[] apply(long index, byte[] command) {
            return new byte[0];
        }

        @Override
        public StateSnapshot captureSnapshot() {
            if (failCapture) {
                throw new IllegalStateException("capture failed (test)");
            }
            return out -> {
                out.write(new byte[100]);
                out.flush();
                writing.countDown();
                try {
                    new CountDownLatch(1).await(); // a write far too long for the test: ended by close()
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("interrupted while writing");
                }
            };
        }

        @Override
        public void restoreSnapshot(SnapshotInfo snapshot, InputStream in) {
        }
    }

    /** The live snapshot threads of nodes named n1. */
    private static Set<Thread> snapshotThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("raftbus-n1-snapshot") && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
