package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots on the simulation's virtual clock: catching up a follower the leader's log no longer serves, restarting
 * from snapshots, installs over a bad network and crashes in the middle of installs and snapshot writes. Every run
 * also checks the simulation's invariants (the state digest at every index, snapshot before compaction).
 */
class SnapshotScenariosTest {

    private static final long CATCH_UP_BOUND_MS = 30_000;

    private static RaftConfig config(long everyEntries, long trailing, int chunkBytes, int inflight) {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(50)
                .snapshotEveryEntries(everyEntries).logTrailingEntries(trailing)
                .snapshotChunkBytes(chunkBytes).maxInflightSnapshotChunks(inflight).build();
    }

    private static Simulation cluster(long seed, RaftConfig config) {
        Simulation sim = Simulation.builder(seed).nodes(3).config(config).snapshots(true).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        return sim;
    }

    private static String follower(Simulation sim) {
        String leader = sim.leader().orElseThrow();
        return sim.nodeIds().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    private static byte[] command(int i) {
        return ("cmd-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Submits {@code count} commands to the leader in batches and waits until each is committed; returns their ids. */
    private static List<Long> commit(Simulation sim, int from, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ids.add(sim.submit(sim.leader().orElseThrow(), command(i)));
            if (ids.size() % 50 == 0) {
                sim.runFor(20);
            }
        }
        assertTrue(sim.runUntil(() -> ids.stream().allMatch(
                id -> sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED), 20_000), "every command commits");
        return ids;
    }

    /** Every node that is up holds the same applied commands and digest as the leader, through the leader's index. */
    private static void assertCaughtUp(Simulation sim, String node) {
        String leader = sim.leader().orElseThrow();
        long target = sim.lastApplied(leader);
        assertTrue(sim.runUntil(() -> sim.lastApplied(node) >= target, CATCH_UP_BOUND_MS),
                node + " catches up with the leader at " + target + " (it applied " + sim.lastApplied(node) + ")");
        sim.runUntil(() -> sim.lastApplied(node) == sim.lastApplied(leader), 5_000);
        List<byte[]> expected = sim.applied(leader);
        List<byte[]> actual = sim.applied(node);
        assertEquals(expected.size(), actual.size(), "as many entries applied on " + node);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "entry " + (i + 1) + " on " + node);
        }
        assertEquals(sim.stateDigest(leader), sim.stateDigest(node), "the same state digest on " + node);
    }

    private static void assertEveryCommandApplied(Simulation sim, String node, List<Long> ids) {
        List<byte[]> applied = sim.applied(node);
        for (long id : ids) {
            long index = sim.outcome(id).index();
            assertTrue(applied.size() >= index && applied.get((int) index - 1) != null,
                    "acknowledged proposal #" + id + " at index " + index + " is applied on " + node);
        }
    }

    @Test
    void aFollowerCutOffWhileTheLeaderCommitsAndCompactsIsCaughtUpBySnapshot() {
        Simulation sim = cluster(1, config(100, 10, 256, 2));
        String f = follower(sim);
        sim.isolate(f);
        List<Long> ids = commit(sim, 0, 1_200);
        String leader = sim.leader().orElseThrow();
        long firstLogIndex = sim.status(leader).orElseThrow().firstLogIndex();
        assertTrue(firstLogIndex > sim.lastApplied(f) + 1, "the leader's log (from " + firstLogIndex
                + ") no longer holds what " + f + " needs (after " + sim.lastApplied(f) + ")");

        sim.heal();
        assertCaughtUp(sim, f);
        assertEveryCommandApplied(sim, f, ids);
        Simulation.SnapshotStats stats = sim.snapshotStats();
        assertTrue(stats.installed() >= 1, "the follower installed a snapshot: " + stats);
        assertTrue(stats.chunksSent() > 1, "in several chunks: " + stats);
    }

    @Test
    void aSlowFollowerTheLeaderCompactedPastIsCaughtUpBySnapshot() {
        Simulation sim = cluster(9, config(20, 0, 512, 4));
        String f = follower(sim);
        sim.slowDown(f, 200);
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            ids.addAll(commit(sim, round * 25, 25));
            sim.runFor(100); // the leader's snapshot writes complete and it compacts meanwhile
        }
        assertCaughtUp(sim, f); // still slow
        assertEveryCommandApplied(sim, f, ids);
        assertTrue(sim.snapshotStats().installed() >= 1, "the slow follower got a snapshot: " + sim.snapshotStats());
    }

    /**
     * A follower on a slow link, under a steady load with frequent snapshots and small chunks: the leader must not
     * snapshot the transfer's snapshot out of its store (it keeps two) and start over, again and again, for as long
     * as the load lasts. The follower installs a snapshot and then keeps up from the log while the load continues
     * (the log keeps 40 entries behind each snapshot, more than the slow follower lags).
     */
    @Test
    void aSlowFollowerUnderSteadyLoadIsCaughtUpBySnapshotWhileTheLoadContinues() {
        Simulation sim = cluster(21, config(20, 40, 128, 2));
        String f = follower(sim);
        sim.isolate(f);
        commit(sim, 0, 300);
        sim.heal();
        sim.slowDown(f, 400);
        String leader = sim.leader().orElseThrow();
        long before = sim.lastApplied(leader);
        Load load = new Load(sim, 300);
        assertTrue(load.runUntil(() -> sim.lastApplied(f) >= before, 60_000), f + " applies what the leader had"
                + " applied when the load started (" + before + "), under load (it applied " + sim.lastApplied(f)
                + "; " + sim.snapshotStats() + ")");
        long installed = sim.snapshotStats().installed();
        assertTrue(installed >= 1, "by a snapshot: " + sim.snapshotStats());
        long later = sim.lastApplied(leader);
        assertTrue(load.runUntil(() -> sim.lastApplied(f) >= later, 60_000), f + " keeps up with the leader (at "
                + later + ") while the load continues (it applied " + sim.lastApplied(f) + ")");
        assertEquals(installed, sim.snapshotStats().installed(), "from the log: " + sim.snapshotStats());
        long snapshotIndex = sim.latestSnapshot(leader).orElseThrow().index();
        assertTrue(load.runUntil(() -> sim.latestSnapshot(leader).orElseThrow().index() > later, 60_000),
                "the leader still takes snapshots (its latest was at " + snapshotIndex + ")");
        assertEquals(leader, sim.leader().orElseThrow(), "one leader throughout");
        load.stop();
        assertCaughtUp(sim, f);
    }

    /** Submits a command to the leader every 50 ms of virtual time while the simulation runs. */
    private static final class Load {
        private final Simulation sim;
        private int next;

        Load(Simulation sim, int first) {
            this.sim = sim;
            this.next = first;
        }

        boolean runUntil(java.util.function.BooleanSupplier condition, long maxMs) {
            long end = sim.now() + maxMs;
            while (!condition.getAsBoolean()) {
                if (sim.now() >= end) {
                    return false;
                }
                sim.leader().ifPresent(l -> sim.submit(l, command(next++)));
                sim.runFor(50);
            }
            return true;
        }

        void stop() {
            sim.runFor(1_000); // the last commands commit
        }
    }

    @Test
    void theWholeClusterRestartedFromSnapshotsKeepsEveryAcknowledgedCommit() {
        Simulation sim = cluster(2, config(20, 0, 512, 4));
        List<Long> ids = commit(sim, 0, 300);
        sim.runFor(1_000); // snapshot writes complete, followers apply
        for (String id : sim.nodeIds()) {
            assertTrue(sim.latestSnapshot(id).isPresent(), id + " took a snapshot");
            sim.crash(id);
        }
        for (String id : sim.nodeIds()) {
            sim.restart(id);
        }
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected after the restart");
        List<Long> after = commit(sim, 300, 10);
        for (String id : sim.nodeIds()) {
            assertCaughtUp(sim, id);
            assertEveryCommandApplied(sim, id, ids);
            assertEveryCommandApplied(sim, id, after);
        }
        assertTrue(sim.snapshotStats().restoredAtStart() >= 3, "every node restored from its snapshot: "
                + sim.snapshotStats());
    }

    @Test
    void anInstallOverALossyDuplicatingReorderingNetworkCompletes() {
        for (long seed = 3; seed <= 5; seed++) {
            Simulation sim = cluster(seed, config(50, 5, 128, 4));
            String f = follower(sim);
            sim.isolate(f);
            List<Long> ids = commit(sim, 0, 1_000);
            sim.setFaults(new NetworkFaults(0.2, 0.2, 1, 60));
            sim.heal();
            assertCaughtUp(sim, f);
            assertEveryCommandApplied(sim, f, ids);
            assertTrue(sim.snapshotStats().installed() >= 1, "seed " + seed + ": installed by snapshot: "
                    + sim.snapshotStats());
        }
    }

    @Test
    void aFollowerCrashedInTheMiddleOfAnInstallRecovers() {
        Simulation sim = cluster(6, config(50, 5, 64, 1));
        String f = follower(sim);
        sim.isolate(f);
        List<Long> ids = commit(sim, 0, 1_000);
        sim.heal();
        long chunksBefore = sim.snapshotStats().chunksSent();
        assertTrue(sim.runUntil(() -> sim.snapshotStats().chunksSent() >= chunksBefore + 10, 5_000),
                "the leader sends chunks");
        assertEquals(0, sim.snapshotStats().installed(), "the install is still under way");
        sim.crash(f);
        sim.runFor(1_000);
        sim.restart(f);
        assertCaughtUp(sim, f);
        assertEveryCommandApplied(sim, f, ids);
        assertTrue(sim.snapshotStats().installed() >= 1, "installed after the restart: " + sim.snapshotStats());
    }

    @Test
    void aNodeCrashedInTheMiddleOfASnapshotWriteRecovers() {
        Simulation sim = Simulation.builder(7).nodes(3).config(config(0, 0, 512, 2)).snapshots(true)
                .snapshotWriteMaxDelayMs(200).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        List<Long> ids = commit(sim, 0, 100);
        sim.runFor(500);
        for (String id : sim.nodeIds()) {
            assertTrue(sim.requestSnapshot(id) > 0, id + " takes a snapshot on demand");
            sim.crash(id); // before its write completes: nothing of it becomes visible
        }
        sim.runFor(500);
        assertEquals(3, sim.snapshotStats().lostInCrash(), "three writes were cut short: " + sim.snapshotStats());
        for (String id : sim.nodeIds()) {
            assertTrue(sim.latestSnapshot(id).isEmpty(), id + " has no half-written snapshot");
            sim.restart(id);
        }
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        long applied = sim.committedIndex();
        assertTrue(sim.runUntil(() -> sim.nodeIds().stream().allMatch(id -> sim.lastApplied(id) >= applied), 5_000),
                "the restarted nodes apply their logs again");
        for (String id : sim.nodeIds()) {
            assertTrue(sim.requestSnapshot(id) > 0, id + " takes a snapshot on demand after its restart");
        }
        sim.runFor(1_000);
        List<Long> after = commit(sim, 100, 20);
        for (String id : sim.nodeIds()) {
            assertTrue(sim.latestSnapshot(id).isPresent(), id + " completed a snapshot after its restart");
            assertCaughtUp(sim, id);
            assertEveryCommandApplied(sim, id, ids);
            assertEveryCommandApplied(sim, id, after);
        }
    }

    @Test
    void aCrashRightAfterASnapshotIsDurableBeforeTheLogIsCompactedRecovers() {
        Simulation sim = Simulation.builder(8).nodes(3).config(config(30, 0, 512, 2)).snapshots(true)
                .crashAfterSnapshotWriteRate(0.5).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            sim.leader().ifPresent(l -> {
                for (int i = 0; i < 20; i++) {
                    ids.add(sim.submit(l, command(ids.size())));
                }
            });
            sim.runFor(300);
            for (String id : sim.nodeIds()) {
                sim.restart(id);
            }
        }
        sim.runFor(2_000);
        List<Long> committed = ids.stream()
                .filter(id -> sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED).toList();
        assertTrue(sim.snapshotStats().taken() > 0, "snapshots were taken: " + sim.snapshotStats());
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        List<Long> after = commit(sim, 10_000, 5);
        for (String id : sim.nodeIds()) {
            assertCaughtUp(sim, id);
            assertEveryCommandApplied(sim, id, committed);
            assertEveryCommandApplied(sim, id, after);
        }
    }

    /** The random scenario with snapshots really exercises them: every kind of snapshot event happens on some seed. */
    @Test
    void randomSeedsWithSnapshotsTakeInstallRestoreAndLoseSnapshots() {
        long taken = 0;
        long installed = 0;
        long restoredAtStart = 0;
        long lostInCrash = 0;
        long writeFailures = 0;
        long chunks = 0;
        for (long seed = 1; seed <= 100; seed++) {
            Simulation.SnapshotStats s = RandomFaultScenario.run(seed, RandomFaultScenario.Snapshots.ON).snapshots();
            taken += s.taken();
            installed += s.installed();
            restoredAtStart += s.restoredAtStart();
            lostInCrash += s.lostInCrash();
            writeFailures += s.writeFailures();
            chunks += s.chunksSent();
        }
        String counts = "taken " + taken + ", installed " + installed + ", restored at start " + restoredAtStart
                + ", lost in a crash " + lostInCrash + ", failed " + writeFailures + ", chunks " + chunks;
        assertTrue(taken > 0 && installed > 0 && restoredAtStart > 0 && lostInCrash > 0 && writeFailures > 0
                && chunks > installed, counts);
    }

    @Test
    void aRunWithSnapshotsIsReproducedFromItsSeed() {
        for (long seed = 10; seed <= 12; seed++) {
            assertEquals(RandomFaultScenario.run(seed, RandomFaultScenario.Snapshots.ON),
                    RandomFaultScenario.run(seed, RandomFaultScenario.Snapshots.ON), "seed " + seed);
        }
    }
}
