package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.RaftMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower the leader's log no longer serves gets the latest snapshot in chunks, whatever the network does to
 * them, and continues from it with the same state as the others.
 */
class SnapshotTransferTest {

    private static final int CHUNK = 256;
    private static final int WINDOW = 2;

    /** Snapshots every 20 entries, 5 entries kept behind each, chunks of 256 bytes, 2 in flight. */
    private static RaftConfig config() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(false)
                .checkQuorum(false).snapshotEveryEntries(20).snapshotEveryBytes(0).logTrailingEntries(5)
                .snapshotChunkBytes(CHUNK).maxInflightSnapshotChunks(WINDOW).build();
    }

    /** a leads; c is cut off while 60 commands of 100 bytes commit and the others compact their logs past it. */
    private static SnapshotCluster clusterWithCBehind() {
        return clusterWithCBehind(config());
    }

    private static SnapshotCluster clusterWithCBehind(RaftConfig config) {
        SnapshotCluster cluster = new SnapshotCluster(config, "a", "b", "c");
        assertEquals("a", cluster.awaitLeader(1_000));
        cluster.isolated.add("c");
        for (int i = 0; i < 60; i++) {
            cluster.submit("a", "cmd" + i, 100);
            cluster.drain();
        }
        cluster.advance(100);
        RaftStatus a = cluster.core("a").status();
        assertTrue(a.firstLogIndex() > 2, "a compacted its log: " + a);
        assertTrue(cluster.core("c").status().lastLogIndex() < a.firstLogIndex() - 1, "c needs the snapshot");
        return cluster;
    }

    private static void assertCaughtUp(SnapshotCluster cluster, String follower) {
        String leader = cluster.leader();
        cluster.submit(leader, "after", 100);
        cluster.advance(300);
        assertEquals(cluster.node(leader).state, cluster.node(follower).state, follower + " has the leader's state");
        assertEquals(cluster.core(leader).status().commitIndex(), cluster.core(follower).status().commitIndex());
        assertTrue(cluster.node(follower).state.contains("after-" + "x".repeat(94)), "applies after the snapshot");
    }

    @Test
    void aFollowerFarBehindGetsTheSnapshotInChunksNeverMoreThanTheWindowInFlight() {
        SnapshotCluster cluster = clusterWithCBehind();
        Map<Long, Long> ackedBySnapshot = new HashMap<>();
        List<Long> inflightSeen = new ArrayList<>();
        int[] chunks = {0};
        long[] total = {0};
        cluster.onDeliver = m -> {
            if (m instanceof InstallSnapshotResponse r && r.to().equals("a")) {
                ackedBySnapshot.merge(r.snapshotIndex(), r.nextOffset(), Math::max);
            }
        };
        cluster.onSend = m -> {
            if (m instanceof InstallSnapshotRequest r && r.to().equals("c")) {
                chunks[0]++;
                total[0] = r.totalBytes();
                long acked = ackedBySnapshot.getOrDefault(r.snapshotIndex(), 0L);
                inflightSeen.add((r.endOffset() - acked + CHUNK - 1) / CHUNK);
            }
        };
        cluster.isolated.remove("c");
        cluster.advance(500);

        RaftStatus c = cluster.core("c").status();
        assertTrue(total[0] > 4L * CHUNK, "a multi-chunk snapshot: " + total[0]);
        assertTrue(chunks[0] >= total[0] / CHUNK, "sent in chunks: " + chunks[0]);
        assertTrue(inflightSeen.stream().allMatch(n -> n <= WINDOW), "never more than the window: " + inflightSeen);
        assertEquals(1, cluster.node("c").restores);
        assertTrue(c.snapshotIndex() > 0 && c.firstLogIndex() > 1, "c's log starts after a snapshot: " + c);
        assertEquals(cluster.node("a").state, cluster.node("c").state);
        assertEquals(Map.of(), cluster.core("c").dropCounts(), "nothing dropped on a clean network");
        assertCaughtUp(cluster, "c");
    }

    @Test
    void aLostChunkIsSentAgain() {
        SnapshotCluster cluster = clusterWithCBehind();
        int[] lost = {0};
        cluster.transform = m -> {
            if (m instanceof InstallSnapshotRequest r && r.offset() == CHUNK && lost[0] == 0) {
                lost[0]++;
                return null;
            }
            return m;
        };
        cluster.isolated.remove("c");
        cluster.advance(500);
        assertEquals(1, lost[0]);
        assertEquals(cluster.node("a").state, cluster.node("c").state);
        assertCaughtUp(cluster, "c");
    }

    @Test
    void duplicatedAndReorderedChunksAreHarmless() {
        for (long seed = 1; seed <= 5; seed++) {
            SnapshotCluster cluster = clusterWithCBehind();
            SplittableRandom random = new SplittableRandom(seed);
            cluster.shuffle = random;
            cluster.onSend = m -> {
                if ((m instanceof InstallSnapshotRequest || m instanceof InstallSnapshotResponse)
                        && random.nextInt(3) == 0) {
                    cluster.inFlight.add(m); // a duplicate, delivered in random order with the rest
                }
            };
            cluster.isolated.remove("c");
            cluster.advance(1_000);
            cluster.shuffle = null;
            assertEquals(cluster.node("a").state, cluster.node("c").state, "seed " + seed);
            assertCaughtUp(cluster, "c");
        }
    }

    @Test
    void aLeaderChangeMidTransferEndsWithTheNewLeadersSnapshot() {
        SnapshotCluster cluster = clusterWithCBehind();
        int[] delivered = {0};
        cluster.transform = m -> {
            if (m instanceof InstallSnapshotRequest r && r.from().equals("a") && ++delivered[0] > 2) {
                return null; // a manages two chunks, then is gone
            }
            return m;
        };
        cluster.isolated.remove("c");
        cluster.advance(100);
        assertTrue(delivered[0] > 2, "the transfer started");
        assertEquals(0, cluster.node("c").restores);
        cluster.crash("a");
        cluster.transform = m -> m;
        String next = cluster.awaitLeader(2_000);
        assertEquals("b", next, "c's log is behind: only b can win");
        cluster.advance(500);
        assertEquals(1, cluster.node("c").restores);
        assertEquals(cluster.node("b").state, cluster.node("c").state);
        assertCaughtUp(cluster, "c");
    }

    @Test
    void aCorruptedChunkFailsTheChecksumAndTheTransferStartsOver() {
        SnapshotCluster cluster = clusterWithCBehind();
        int[] corrupted = {0};
        List<Long> zeroAnswers = new ArrayList<>();
        cluster.transform = m -> {
            if (m instanceof InstallSnapshotRequest r && r.offset() == 0 && corrupted[0] == 0) {
                corrupted[0]++;
                byte[] data = r.data().clone();
                data[0] ^= 1;
                return new InstallSnapshotRequest(r.clusterId(), r.from(), r.to(), r.term(), r.snapshotIndex(),
                        r.snapshotTerm(), r.membership(), r.totalBytes(), r.checksum(), r.offset(), data, r.done(),
                        r.readSeq());
            }
            if (m instanceof InstallSnapshotResponse r && !r.installed() && r.nextOffset() == 0) {
                zeroAnswers.add(r.snapshotIndex());
            }
            return m;
        };
        cluster.isolated.remove("c");
        cluster.advance(500);
        assertEquals(1, corrupted[0]);
        assertTrue(!zeroAnswers.isEmpty(), "c answered that it holds none of it");
        assertEquals(1, cluster.node("c").restores, "installed once, after the transfer started over");
        assertEquals(cluster.node("a").state, cluster.node("c").state);
        assertEquals(0, cluster.node("c").store.openWriters());
        assertCaughtUp(cluster, "c");
    }

    @Test
    void aFollowerRestartedMidTransferGetsItFromTheStart() {
        SnapshotCluster cluster = clusterWithCBehind();
        int[] delivered = {0};
        cluster.transform = m -> m instanceof InstallSnapshotRequest && ++delivered[0] > 2 ? null : m;
        cluster.isolated.remove("c");
        cluster.advance(50);
        cluster.crash("c");
        SnapshotCluster.Node c = cluster.node("c");
        c.state = new ArrayList<>();
        c.lastApplied = 0;
        c.core = new RaftCore("c", SnapshotCluster.CLUSTER, cluster.membership, cluster.config, c.log, c.store, 0,
                Fixtures.fixedTimeout(120), cluster.now);
        cluster.transform = m -> m;
        cluster.advance(500);
        assertEquals(cluster.node("a").state, c.state);
        assertCaughtUp(cluster, "c");
    }

    @Test
    void aSnapshotNoLongerRetainedIsReplacedByTheLatest() {
        // pre-votes: c, cut off for a while below, does not depose the leader when it comes back
        SnapshotCluster cluster = clusterWithCBehind(config().toBuilder().preVote(true).build());
        long first = cluster.node("a").store.latest().orElseThrow().index();
        int[] delivered = {0};
        cluster.transform = m -> m instanceof InstallSnapshotRequest && ++delivered[0] > 2 ? null : m;
        cluster.isolated.remove("c");
        cluster.advance(50);
        // c stores the first chunks, then the transfer stalls for longer than 4 election timeouts (c cut off again):
        // a stalled transfer does not hold the leader's snapshots back (a live one would)
        cluster.isolated.add("c");
        cluster.advance(4 * 300);
        for (int i = 0; i < 45; i++) { // two more snapshots: the one being sent is no longer retained
            cluster.submit("a", "more" + i, 100);
            cluster.drain();
        }
        assertTrue(cluster.node("a").store.retained().stream().allMatch(s -> s.index() > first));
        cluster.isolated.remove("c");
        cluster.transform = m -> m;
        cluster.advance(500);
        assertEquals(1, cluster.node("c").restores);
        assertTrue(cluster.core("c").status().snapshotIndex() > first, "c got a later snapshot");
        assertEquals(cluster.node("a").state, cluster.node("c").state);
        assertCaughtUp(cluster, "c");
    }

    @Test
    void aForwardedCommandAcceptedAtAnIndexCompactedMeanwhileFailsAsOutcomeUnknown() {
        SnapshotCluster cluster = new SnapshotCluster(config(), "a", "b", "c");
        assertEquals("a", cluster.awaitLeader(1_000));
        List<RaftMessage> held = new ArrayList<>();
        cluster.transform = m -> {
            if (m instanceof io.raftbus.engine.message.CommandResponse r && r.to().equals("b") && held.isEmpty()) {
                held.add(m);
                return null;
            }
            return m;
        };
        cluster.submit("b", "forwarded", 100);
        cluster.drain();
        assertEquals(1, held.size(), "a accepted it; the answer is held back");
        for (int i = 0; i < 40; i++) {
            cluster.submit("a", "cmd" + i, 100);
            cluster.drain();
        }
        cluster.advance(100);
        assertTrue(cluster.core("b").status().firstLogIndex() > 3, "b compacted past the forwarded command");
        cluster.core("b").receive(held.get(0));
        cluster.drain();
        List<ProposalFailure> failures = cluster.node("b").failures;
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).cause() instanceof io.raftbus.engine.CommandOutcomeUnknownException,
                failures.get(0).cause().toString());
    }

    @Test
    void aFollowerThatDoesNotAnswerIsSentOneChunkPerResendNotAWindow() {
        SnapshotCluster cluster = clusterWithCBehind(); // c is still cut off
        List<InstallSnapshotRequest> toC = new ArrayList<>();
        cluster.onSend = m -> {
            if (m instanceof InstallSnapshotRequest r && r.to().equals("c")) {
                toC.add(r);
            }
        };
        cluster.advance(1_000);
        assertTrue(!toC.isEmpty(), "the leader keeps trying");
        assertTrue(toC.stream().allMatch(r -> r.offset() == 0), "only the first chunk, as a probe: " + toC.size() + " chunks");
        long resends = 1_000 / (Leader.LOST_AFTER_HEARTBEATS * 30) + 1;
        assertTrue(toC.size() <= resends, toC.size() + " chunks in 1 s to a silent follower");
        cluster.isolated.remove("c");
        cluster.advance(500);
        assertEquals(cluster.node("a").state, cluster.node("c").state);
    }

    @Test
    void aFollowerWithoutASnapshotStoreIsRetriedAtTheResendPaceNotInALoop() {
        SnapshotCluster cluster = clusterWithCBehind();
        SnapshotCluster.Node c = cluster.node("c");
        c.core = new RaftCore("c", SnapshotCluster.CLUSTER, cluster.membership, cluster.config, c.log, null,
                c.lastApplied, Fixtures.fixedTimeout(120), cluster.now); // restarted without a store
        int[] chunks = {0};
        cluster.onSend = m -> chunks[0] += m instanceof InstallSnapshotRequest ? 1 : 0;
        cluster.isolated.remove("c");
        cluster.advance(1_000);
        assertTrue(chunks[0] > 0 && chunks[0] <= 1_000 / (Leader.LOST_AFTER_HEARTBEATS * 30) + 1,
                chunks[0] + " chunks in 1 s");
        assertTrue(c.core.dropCounts().get("no-snapshot-store") > 0);
    }
}
