package io.raftbus.engine;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots on real nodes: taken by policy and on demand, restored at restart, sent to a follower far behind. */
class RaftNodeSnapshotTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @TempDir
    Path dir;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRestartedNodeRestoresItsLatestSnapshotAndReplaysOnlyTheEntriesAfterIt() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().snapshotEveryEntries(100).logTrailingEntries(10).build())
                .fileSnapshots(dir)
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        String follower = cluster.followers(leader).get(0);
        submitAll(leader, "a", 250);
        Await.until(follower + " to snapshot past index 200",
                () -> cluster.node(follower).status().snapshotIndex() >= 200, DEADLINE);
        TestNodes.awaitApplied(cluster, List.of(follower), 250);

        RaftNode restarted = cluster.restart(follower);

        TestNodes.awaitApplied(cluster, List.of(follower), 250);
        RecordingStateMachine machine = cluster.stateMachine(follower);
        long restoredAt = machine.restoredIndex();
        assertTrue(restoredAt >= 200, "restored from its snapshot at " + restoredAt);
        long commandsAfterIt = cluster.stateMachine(leader.nodeId()).indexes().stream()
                .filter(i -> i > restoredAt).count();
        assertEquals(commandsAfterIt, machine.applyCalls(), "only the commands after the snapshot were replayed");
        assertEquals(cluster.stateMachine(leader.nodeId()).applied(), machine.applied());
        assertTrue(restarted.status().firstLogIndex() > 1, "its log stays compacted: " + restarted.status());
    }

    @Test
    void aCorruptLatestSnapshotFileIsSkippedAndANodeWhoseLogNeedsItRefusesToStart() throws IOException {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().snapshotEveryEntries(50).logTrailingEntries(10).build())
                .fileSnapshots(dir)
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        String follower = cluster.followers(leader).get(0);
        submitAll(leader, "e", 120);
        long committed = leader.status().commitIndex();
        Await.until(follower + " to apply every command",
                () -> cluster.node(follower).status().lastApplied() >= committed, DEADLINE);
        // by threshold (every 50) its snapshots may all be below 100 when the batches applied fell so (a loaded
        // machine applies in larger batches): then one on demand, at its last applied index, past 120
        Await.until(follower + " to snapshot past index 100", () -> {
            RaftNode node = cluster.node(follower);
            if (node.status().snapshotIndex() >= 100) {
                return true;
            }
            node.takeSnapshot(); // refused while one is being taken; asked again at the next poll
            return false;
        }, DEADLINE);
        cluster.node(follower).close();
        Path latest;
        try (Stream<Path> files = Files.list(dir.resolve(follower))) {
            latest = files.max(Comparator.naturalOrder()).orElseThrow(); // names sort by index
        }
        try (RandomAccessFile file = new RandomAccessFile(latest.toFile(), "rw")) {
            file.seek(12); // in the header's index field: its checksum no longer matches
            file.write(0x7f);
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cluster.restart(follower));

        assertTrue(refused.getMessage().contains("the log is compacted through index"), refused.getMessage());
        assertTrue(Files.exists(latest), "the corrupt file is left for inspection");
    }

    @Test
    void aFollowerThatMissedEntriesTheLeaderCompactedCatchesUpThroughItsSnapshot() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().snapshotEveryEntries(200).logTrailingEntries(20)
                        .snapshotChunkBytes(2048).build())
                .memorySnapshots()
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        String behind = cluster.followers(leader).get(0);
        cluster.node(behind).close();
        long heldByBehind = cluster.node(behind).status().lastLogIndex();
        int commands = 1_200;
        submitAll(leader, "c", commands);
        Await.until("the leader to compact its log past what " + behind + " holds",
                () -> leader.status().firstLogIndex() > heldByBehind + 1, DEADLINE);

        cluster.restart(behind);

        RecordingStateMachine leaderMachine = cluster.stateMachine(leader.nodeId());
        Await.until(behind + " to have every command",
                () -> cluster.stateMachine(behind).size() == commands, DEADLINE);
        RecordingStateMachine caughtUp = cluster.stateMachine(behind);
        assertEquals(leaderMachine.applied().subList(0, commands), caughtUp.applied());
        assertTrue(caughtUp.restoredIndex() > 0, "installed the leader's snapshot");
        assertTrue(caughtUp.applyCalls() < commands, "applied only what followed the snapshot");
        Await.until(behind + "'s status to show the installed snapshot", // published after the iteration
                () -> cluster.node(behind).status().snapshotIndex() >= caughtUp.restoredIndex(), DEADLINE);
    }

    @Test
    void takeSnapshotOnDemandCoversEverythingAppliedAndCompactsTheLog() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().logTrailingEntries(5).build())
                .memorySnapshots()
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        submitAll(leader, "d", 30);
        long applied = leader.status().lastApplied();

        SnapshotInfo taken = Await.result(leader.takeSnapshot(), DEADLINE);

        assertTrue(taken.index() >= applied, taken + " covers " + applied);
        RaftStatus status = leader.status();
        assertEquals(taken.index(), status.snapshotIndex());
        assertEquals(taken.index() - 5 + 1, status.firstLogIndex(), "compacted up to the trailing entries");
        assertEquals(taken, Await.result(leader.takeSnapshot(), DEADLINE), "nothing applied since: the same one");
        String follower = cluster.followers(leader).get(0);
        TestNodes.awaitApplied(cluster, List.of(follower), 30);
        assertTrue(Await.result(cluster.node(follower).takeSnapshot(), DEADLINE).index() >= 30);
    }

    @Test
    void takeSnapshotFailsWithoutAStoreAndAfterClose() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build().start();
        RaftNode solo = cluster.awaitLeader(DEADLINE);
        CompletionException e = assertThrows(CompletionException.class, () -> solo.takeSnapshot().join());
        assertInstanceOf(RaftException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("no snapshot store"), e.getCause().getMessage());
        cluster.close();
        assertInstanceOf(NodeClosedException.class, assertThrows(CompletionException.class,
                () -> solo.takeSnapshot().join()).getCause());
    }

    /**
     * Submits {@code n} commands to the leader, a bounded batch at a time, and waits for each result; a command
     * certainly not applied (leadership moved on a loaded machine) is submitted again, forwarded if need be.
     */
    private static void submitAll(RaftNode leader, String prefix, int n) {
        for (int start = 0; start < n; start += 100) {
            List<CompletableFuture<byte[]>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 100); i++) {
                batch.add(Submit.retrying(leader, bytes(prefix + i)));
            }
            batch.forEach(f -> Await.result(f, DEADLINE));
        }
    }
}
