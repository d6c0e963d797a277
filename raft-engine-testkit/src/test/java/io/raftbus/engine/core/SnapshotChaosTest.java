package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots under a hostile network (loss, duplication, reordering), partitions and restarts, with frequent
 * snapshots and small chunks: at every step every node's applied commands are a prefix of every other's, none twice,
 * and once the faults stop all nodes converge. Seeded, on virtual time.
 */
class SnapshotChaosTest {

    private static final String[] IDS = {"a", "b", "c"};

    private static RaftConfig config() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(true)
                .checkQuorum(true).snapshotEveryEntries(10).snapshotEveryBytes(0).logTrailingEntries(2)
                .snapshotChunkBytes(64).maxInflightSnapshotChunks(3).build();
    }

    /** Seeds run: 10 by default; more with {@code -Draftbus.test.snapshotChaosSeeds=N}. */
    private static final long SEEDS = Long.getLong("raftbus.test.snapshotChaosSeeds", 10);
    private static long restores;
    private static long chunks;
    private static long compactedRuns;

    @Test
    void appliedStatesStayPrefixesOfEachOtherAndConverge() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            run(seed);
        }
        assertTrue(compactedRuns > SEEDS / 2, "most runs compacted a log: " + compactedRuns + " of " + SEEDS);
        assertTrue(restores > 0 && chunks > 0, "some follower installed a snapshot: " + restores + " installs, "
                + chunks + " chunks sent");
    }

    private static void run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SnapshotCluster cluster = new SnapshotCluster(config(), IDS);
        cluster.shuffle = random;
        cluster.transform = m -> random.nextInt(10) == 0 ? null : m;
        cluster.onSend = m -> {
            if (m instanceof io.raftbus.engine.message.InstallSnapshotRequest) {
                chunks++;
            }
            if (random.nextInt(10) == 0) {
                cluster.inFlight.add(m);
            }
        };
        int submitted = 0;
        for (int step = 0; step < 400; step++) {
            String leader = cluster.leader();
            if (leader != null && random.nextInt(2) == 0) {
                try {
                    cluster.submit(leader, "s" + step, 40);
                    submitted++;
                } catch (RaftException refused) {
                    // not the leader any more, backpressure: fine
                }
            }
            if (random.nextInt(80) == 0) {
                String id = IDS[random.nextInt(IDS.length)];
                cluster.crash(id);
                cluster.restart(id, random.split());
            }
            if (random.nextInt(50) == 0) {
                String id = IDS[random.nextInt(IDS.length)];
                if (!cluster.isolated.remove(id)) {
                    cluster.isolated.add(id);
                }
            }
            cluster.advance(10);
            checkPrefixes(cluster, seed, step);
        }
        cluster.isolated.clear();
        cluster.shuffle = null;
        cluster.transform = m -> m;
        cluster.onSend = m -> { };
        cluster.advance(3_000);
        String leader = cluster.leader();
        assertTrue(leader != null, "seed " + seed + ": a leader once the faults stop");
        cluster.submit(leader, "final", 40);
        cluster.advance(1_000);
        restores += cluster.nodes.values().stream().mapToLong(n -> n.restores).sum();
        for (String id : IDS) {
            assertEquals(cluster.node(leader).state, cluster.node(id).state, "seed " + seed + ": " + id
                    + " converged (" + submitted + " submitted)");
        }
        if (cluster.nodes.values().stream().anyMatch(n -> n.core.status().firstLogIndex() > 1)) {
            compactedRuns++;
        }
    }

    private static void checkPrefixes(SnapshotCluster cluster, long seed, int step) {
        List<List<String>> states = new ArrayList<>();
        for (SnapshotCluster.Node n : cluster.nodes.values()) {
            states.add(n.state);
            assertEquals(n.state.size(), new HashSet<>(n.state).size(), "seed " + seed + " step " + step + ": "
                    + n.id + " applied a command twice");
        }
        for (List<String> x : states) {
            for (List<String> y : states) {
                List<String> shorter = x.size() <= y.size() ? x : y;
                List<String> longer = x.size() <= y.size() ? y : x;
                assertEquals(shorter, longer.subList(0, shorter.size()), "seed " + seed + " step " + step
                        + ": applied states diverge");
            }
        }
    }
}
