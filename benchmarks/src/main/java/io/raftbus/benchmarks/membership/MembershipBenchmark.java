package io.raftbus.benchmarks.membership;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.engine.RaftConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Membership-change benchmark (a main program, not a test; issue 10), see docs/PERFORMANCE.md "Membership changes":
 * the time from {@code addMember} on the leader of a three-node cluster (InMemoryNetwork, SqliteLog FULL, a
 * {@code SlotStateMachine}) holding {@code entries} committed 100-byte commands to a fresh node in join mode voting,
 * with its breakdown (leader contact, snapshot chunks, installed, caught up, promotion appended, promotion
 * committed), for a cluster with snapshots (a FileSnapshotStore per node, the default policy: every 10,000 entries,
 * 10,000 kept behind) and one without (the whole log is replicated), each idle and under a steady client load.
 * Per cluster: one fill, then {@code rounds} rounds of an idle and a loaded join (alternating which goes first),
 * each by a new node id that is removed again afterwards; its state must equal the leader's.
 *
 * <p>System properties ({@code bench.membership.*}): {@code entries} (100000), {@code slots} (100000: every slot
 * written once, a 10.8 MB state), {@code rounds} (3), {@code load.rate} (commands/s of the client load, 2000),
 * {@code variants} (comma-separated: {@code snapshots,no-snapshots}), {@code loads} ({@code idle,load}),
 * {@code command.timeout.ms} (RaftConfig commandTimeoutMs, which also bounds addMember: 120000). Argument: a
 * scratch directory (emptied; deleted at the end).
 */
public final class MembershipBenchmark {

    private MembershipBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-membership").toAbsolutePath();
        long entries = Long.parseLong(prop("entries", "100000"));
        int slots = Integer.parseInt(prop("slots", "100000"));
        int rounds = Integer.parseInt(prop("rounds", "3"));
        double loadRate = Double.parseDouble(prop("load.rate", "2000"));
        List<String> variants = List.of(prop("variants", "snapshots,no-snapshots").split(","));
        List<String> loads = List.of(prop("loads", "idle,load").split(","));
        RaftConfig config = RaftConfig.builder().commandTimeoutMs(Long.parseLong(prop("command.timeout.ms", "120000")))
                .build();
        System.out.printf("machine: %d cores, %s %s, Java %s; max heap %,d MB; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, BenchSupport.loadAverage());
        System.out.printf("3 voters + 1 joiner, InMemoryNetwork, SqliteLog FULL, %,d committed 100-byte commands over"
                        + " %,d slots; %d rounds of %s; client load %,.0f commands/s; snapshots every %,d entries,"
                        + " %,d kept behind; maxLearnerLagEntries %,d; chunks %,d bytes, %d in flight%n", entries,
                slots, rounds, loads, loadRate, config.snapshotEveryEntries(), config.logTrailingEntries(),
                config.maxLearnerLagEntries(), config.snapshotChunkBytes(), config.maxInflightSnapshotChunks());
        long begin = System.nanoTime();
        List<JoinTimes> all = new ArrayList<>();
        BenchSupport.deleteRecursively(dir);
        try {
            for (String variant : variants) {
                boolean snapshots = switch (variant.trim()) {
                    case "snapshots" -> true;
                    case "no-snapshots" -> false;
                    default -> throw new IllegalArgumentException("unknown variant " + variant);
                };
                Path clusterDir = dir.resolve(variant.trim());
                Files.createDirectories(clusterDir);
                try (JoinCluster cluster = JoinCluster.start(clusterDir, snapshots, slots, config)) {
                    long t = System.nanoTime();
                    cluster.fill(entries);
                    System.out.printf("%n== %s: filled with %,d commands in %.1f s; load average %s%n%s", variant,
                            entries, (System.nanoTime() - t) / 1e9, BenchSupport.loadAverage(), cluster.describe());
                    System.out.printf("state: %,d bytes as a snapshot%n", cluster.state(cluster.leader().nodeId())
                            .stateBytes());
                    JoinRound join = new JoinRound(cluster, slots, loadRate);
                    int next = 4;
                    for (int round = 1; round <= rounds; round++) {
                        for (int k = 0; k < loads.size(); k++) {
                            String load = loads.get((k + round - 1) % loads.size()).trim();
                            String id = "n" + next++;
                            JoinTimes times = join.run(id, switch (load) {
                                case "idle" -> false;
                                case "load" -> true;
                                default -> throw new IllegalArgumentException("unknown load " + load);
                            });
                            all.add(times);
                            JoinReport.printRound(round, id, times);
                        }
                        System.out.printf("  load average %s%n", BenchSupport.loadAverage());
                    }
                    System.out.print(cluster.describe());
                }
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
        JoinReport.printTable(all);
        System.out.printf("%nwhole run %.0f s; load average at end: %s%n", (System.nanoTime() - begin) / 1e9,
                BenchSupport.loadAverage());
    }

    private static String prop(String name, String defaultValue) {
        String value = System.getProperty("bench.membership." + name, "");
        return value.isBlank() ? defaultValue : value.trim();
    }
}
