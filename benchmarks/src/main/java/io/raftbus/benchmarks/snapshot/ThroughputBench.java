package io.raftbus.benchmarks.snapshot;

import io.raftbus.benchmarks.LoadDriver;
import io.raftbus.benchmarks.RoundResult;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Part 2 of {@link SnapshotBenchmark}: replicated-command throughput of a three-node cluster (InMemoryNetwork +
 * InMemoryLog, a {@link SlotStateMachine} of {@code slots} 100-byte values on every node) that takes a snapshot
 * every {@code everyEntries} entries into a {@link io.raftbus.engine.snapshot.FileSnapshotStore} per node on disk
 * (and compacts its log), against the same cluster without snapshot stores, measured in the same run. Both clusters
 * stay up; after a warm-up that fills every slot, rounds alternate which cluster goes first; a cell is the median
 * over the rounds of {@link LoadDriver}'s closed loop (1 and 256 in flight) on the leader.
 */
final class ThroughputBench {

    private static final int[] IN_FLIGHT = {1, 256};
    private static final Set<String> IDS = Set.of("n1", "n2", "n3");
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int slots;
    private final long everyEntries;
    private final double seconds;
    private final int rounds;
    private final double warmUp;

    ThroughputBench(Path dir, int slots, long everyEntries, double seconds, int rounds, double warmUp) {
        this.dir = dir;
        this.slots = slots;
        this.everyEntries = everyEntries;
        this.seconds = seconds;
        this.rounds = rounds;
        this.warmUp = warmUp;
    }

    void run() throws Exception {
        System.out.printf("%n== 2. throughput, 3 nodes, InMemoryNetwork + InMemoryLog, %,d slots of %d bytes;"
                        + " snapshots every %,d entries (FileSnapshotStore) vs none; in flight 1 and 256, %s s per"
                        + " cell, %d rounds; load average %s%n", slots, LoadDriver.COMMAND_BYTES, everyEntries,
                seconds, rounds, BenchSupport.loadAverage());
        BenchSupport.deleteRecursively(dir);
        Files.createDirectories(dir);
        SlotCluster[] clusters = new SlotCluster[2];
        try {
            clusters[0] = cluster("no snapshots", null);
            clusters[1] = cluster("snapshots every " + String.format("%,d", everyEntries), dir);
            for (SlotCluster c : clusters) {
                RaftNode leader = c.awaitLeader(LEADER_TIMEOUT, Set.of());
                new LoadDriver(leader, 256).run(warmUp);
            }
            long capturesBefore = captures(clusters[1]);
            long bytesBefore = bytesWritten(clusters[1]);
            long gcBefore = gcMillis();
            long begin = System.nanoTime();
            RoundResult[][][] results = new RoundResult[2][IN_FLIGHT.length][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < 2; k++) {
                    int c = (k + round) % 2;
                    for (int f = 0; f < IN_FLIGHT.length; f++) {
                        RaftNode leader = clusters[c].awaitLeader(LEADER_TIMEOUT, Set.of());
                        RoundResult r = new LoadDriver(leader, IN_FLIGHT[f]).run(seconds);
                        results[c][f][round] = r;
                        System.out.printf("round %d %-26s in flight %3d: %,9.0f commands/s  p50 %7.2f ms  p99 %7.2f"
                                        + " ms%s%s%n", round + 1, clusters[c].label(), IN_FLIGHT[f],
                                r.commandsPerSecond(), r.p50Micros() / 1e3, r.p99Micros() / 1e3,
                                r.failed() > 0 ? "  failed " + r.failed() : "",
                                r.leaderChanged() ? "  (leader term changed)" : "");
                    }
                }
            }
            double elapsed = (System.nanoTime() - begin) / 1e9;
            long snapshots = captures(clusters[1]) - capturesBefore;
            long stateBytes = clusters[1].members().stream().mapToLong(m -> m.state().lastSnapshotBytes()).max()
                    .orElse(0);
            long written = bytesWritten(clusters[1]) - bytesBefore;
            System.out.printf("during the rounds (%.0f s, half of it on the snapshot cluster): %,d snapshots taken"
                            + " over its 3 nodes (%,d MB written, a snapshot ~%,.1f MB); GC %,d ms; load average"
                            + " %s%n", elapsed, snapshots, written >> 20, stateBytes / 1e6, gcMillis() - gcBefore,
                    BenchSupport.loadAverage());
            for (SlotCluster.Member m : clusters[1].members()) {
                RaftStatus s = m.node().status();
                System.out.printf("  %s: last index %,d, snapshot at %,d, log holds %,d entries%n", s.nodeId(),
                        s.lastLogIndex(), s.snapshotIndex(), s.logEntries());
            }
            System.out.println();
            System.out.println("| cluster | in flight | commands/s (min–max) | × no snapshots | p50 ms | p99 ms |"
                    + " failed |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            for (int c = 0; c < 2; c++) {
                for (int f = 0; f < IN_FLIGHT.length; f++) {
                    RoundResult[] cell = results[c][f];
                    double rate = median(cell, 0);
                    double base = median(results[0][f], 0);
                    long failed = 0;
                    double[] rates = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        rates[i] = cell[i].commandsPerSecond();
                        failed += cell[i].failed();
                    }
                    System.out.printf("| %s | %d | %,.0f (%s) | %.3f | %.2f | %.2f | %d |%n", clusters[c].label(),
                            IN_FLIGHT[f], rate, BenchSupport.range(rates, "%,.0f"), rate / base,
                            median(cell, 1) / 1e3, median(cell, 2) / 1e3, failed);
                }
            }
        } finally {
            for (SlotCluster c : clusters) {
                if (c != null) {
                    c.close();
                }
            }
            BenchSupport.deleteRecursively(dir);
        }
    }

    private SlotCluster cluster(String label, Path snapshotDir) {
        InMemoryNetwork network = new InMemoryNetwork();
        String clusterId = snapshotDir == null ? "bench-no-snapshots" : "bench-snapshots";
        RaftConfig config = RaftConfig.builder().snapshotEveryEntries(everyEntries).build();
        return SlotCluster.start(label, IDS, id -> {
            SlotStateMachine state = new SlotStateMachine(slots);
            RaftNode.Builder b = RaftNode.builder().nodeId(id).members(IDS).clusterId(clusterId).config(config)
                    .transport(network.transport(id)).log(new InMemoryLog()).stateMachine(state);
            if (snapshotDir != null) {
                b.snapshotDirectory(snapshotDir.resolve(id));
            }
            return new SlotCluster.Member(b.build(), state);
        });
    }

    private static long captures(SlotCluster c) {
        return c.members().stream().mapToLong(m -> m.state().captures()).sum();
    }

    private static long bytesWritten(SlotCluster c) {
        return c.members().stream().mapToLong(m -> m.state().snapshotBytesWritten()).sum();
    }

    /** field 0: commands/s, 1: p50 µs, 2: p99 µs. */
    private static double median(RoundResult[] cell, int field) {
        double[] v = new double[cell.length];
        for (int i = 0; i < cell.length; i++) {
            v[i] = field == 0 ? cell[i].commandsPerSecond() : field == 1 ? cell[i].p50Micros() : cell[i].p99Micros();
        }
        return BenchSupport.median(v);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }
}
