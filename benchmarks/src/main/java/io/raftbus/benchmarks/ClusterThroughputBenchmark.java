package io.raftbus.benchmarks;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.engine.RaftNode;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Benchmark (a main program, not a test) of end-to-end replicated-command throughput and latency of a three-node
 * {@link RaftNode} cluster, built through the public API with a state machine that does nothing. 100-byte commands
 * are submitted on the leader by a closed loop keeping 1 or 256 commands in flight; each cell reports commands per
 * second and the p50/p99 submit-to-complete latency, for four {@link ClusterShape}s measured in the same run
 * (in-memory network or Kafka on an embedded broker in this JVM, each with an in-memory or SQLite log), and each
 * against the first shape (the engine alone) as a ratio.
 *
 * <p>All four clusters run for the whole benchmark; after a warm-up of each, rounds go shape by shape in an order
 * that rotates every round (so slow drift of a shared machine spreads over all shapes), and each cell is the median
 * over the rounds. System properties: {@code bench.cluster.seconds} (per round and cell, default 2),
 * {@code bench.cluster.rounds} (default 5), {@code bench.cluster.warmup} (seconds per shape, default 3),
 * {@code bench.cluster.kafka.linger.ms} (unset: the transport's default), {@code bench.cluster.reads} (true: also
 * measure linearizable reads, {@link RaftNode#read}, in the same run, and print reads against commands).
 */
public final class ClusterThroughputBenchmark {

    private static final int[] IN_FLIGHT = {1, 256};
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private ClusterThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.cluster.seconds", "2"));
        int rounds = Integer.parseInt(System.getProperty("bench.cluster.rounds", "5"));
        double warmUp = Double.parseDouble(System.getProperty("bench.cluster.warmup", "3"));
        String linger = System.getProperty("bench.cluster.kafka.linger.ms", "");
        Integer kafkaLingerMs = linger.isBlank() ? null : Integer.valueOf(linger.trim());
        boolean withReads = Boolean.getBoolean("bench.cluster.reads");
        System.out.printf("machine: %d cores, %s %s, Java %s; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), BenchSupport.loadAverage());
        System.out.printf("3 nodes, %d-byte commands submitted on the leader, in flight %s; %s s per cell, %d rounds"
                + " (median), %s s warm-up per configuration; Kafka linger.ms %s%n", LoadDriver.COMMAND_BYTES,
                Arrays.toString(IN_FLIGHT), seconds, rounds, warmUp,
                kafkaLingerMs == null ? "= transport default" : kafkaLingerMs);
        long begin = System.nanoTime();
        Map<ClusterShape, BenchCluster> clusters = new EnumMap<>(ClusterShape.class);
        EmbeddedKafkaBroker broker = null;
        Path sqliteDir = Files.createTempDirectory("raftbus-cluster-bench-");
        try {
            broker = EmbeddedKafkaBroker.start();
            for (ClusterShape shape : ClusterShape.values()) {
                clusters.put(shape, BenchCluster.start(shape, broker.bootstrapServers(), sqliteDir, kafkaLingerMs));
            }
            for (BenchCluster cluster : clusters.values()) {
                RaftNode leader = cluster.awaitLeader(LEADER_TIMEOUT);
                new LoadDriver(leader, IN_FLIGHT[IN_FLIGHT.length - 1]).run(warmUp * 0.7);
                new LoadDriver(leader, IN_FLIGHT[0]).run(warmUp * 0.3);
            }
            System.out.printf("set-up and warm-up took %.0f s%n", (System.nanoTime() - begin) / 1e9);
            long gcMillisBefore = gcMillis();
            RoundResult[][][] results = measure(clusters, seconds, rounds, false);
            RoundResult[][][] readResults = withReads ? measure(clusters, seconds, rounds, true) : null;
            Runtime rt = Runtime.getRuntime();
            System.out.printf("load average at end: %s; whole run %.0f s; GC %,d ms during the rounds; heap used %,d"
                            + " of %,d MB max%n%n", BenchSupport.loadAverage(), (System.nanoTime() - begin) / 1e9,
                    gcMillis() - gcMillisBefore, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
            printTable(results, "commands");
            if (readResults != null) {
                System.out.println();
                printTable(readResults, "reads");
                System.out.println();
                printReadsAgainstCommands(readResults, results);
            }
        } finally {
            try {
                for (BenchCluster cluster : clusters.values()) {
                    cluster.close();
                }
            } finally {
                try {
                    if (broker != null) {
                        broker.close();
                    }
                } finally {
                    BenchSupport.deleteRecursively(sqliteDir);
                }
            }
        }
    }

    /** results[shape][inFlight][round]. */
    private static RoundResult[][][] measure(Map<ClusterShape, BenchCluster> clusters, double seconds, int rounds,
                                             boolean reads) throws Exception {
        ClusterShape[] shapes = ClusterShape.values();
        RoundResult[][][] results = new RoundResult[shapes.length][IN_FLIGHT.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < shapes.length; k++) {
                ClusterShape shape = shapes[(k + round) % shapes.length];
                BenchCluster cluster = clusters.get(shape);
                for (int f = 0; f < IN_FLIGHT.length; f++) {
                    RaftNode leader = cluster.awaitLeader(LEADER_TIMEOUT);
                    RoundResult r = new LoadDriver(leader, IN_FLIGHT[f], reads).run(seconds);
                    results[shape.ordinal()][f][round] = r;
                    System.out.printf("round %d %-34s in flight %3d: %,9.0f %s/s  p50 %8.2f ms  p99 %8.2f ms"
                                    + "%s%s%n", round + 1, shape.label(), IN_FLIGHT[f], r.commandsPerSecond(),
                            reads ? "reads" : "commands",
                            r.p50Micros() / 1e3, r.p99Micros() / 1e3,
                            r.failed() > 0 ? "  failed " + r.failed() : "",
                            r.leaderChanged() ? "  (leader term changed)" : "");
                }
            }
        }
        return results;
    }

    private static void printTable(RoundResult[][][] results, String what) {
        System.out.println("| configuration | in flight | " + what + "/s (min–max) | × baseline | p50 ms | × baseline"
                + " | p99 ms | × baseline | failed |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (ClusterShape shape : ClusterShape.values()) {
            for (int f = 0; f < IN_FLIGHT.length; f++) {
                RoundResult[] cell = results[shape.ordinal()][f];
                RoundResult[] base = results[ClusterShape.MEMORY_NETWORK_MEMORY_LOG.ordinal()][f];
                double rate = median(cell, RoundResult::commandsPerSecond);
                double p50 = median(cell, RoundResult::p50Micros) / 1e3;
                double p99 = median(cell, RoundResult::p99Micros) / 1e3;
                double baseRate = median(base, RoundResult::commandsPerSecond);
                double baseP50 = median(base, RoundResult::p50Micros) / 1e3;
                double baseP99 = median(base, RoundResult::p99Micros) / 1e3;
                long failed = Arrays.stream(cell).mapToLong(RoundResult::failed).sum();
                System.out.printf("| %s | %d | %,.0f (%,.0f–%,.0f) | %.3f | %.2f | %.1f | %.2f | %.1f | %d |%n",
                        shape.label(), IN_FLIGHT[f], rate, min(cell), max(cell), rate / baseRate, p50, p50 / baseP50,
                        p99, p99 / baseP99, failed);
            }
        }
    }

    /** Each shape's reads against its own commands, measured in the same run. */
    private static void printReadsAgainstCommands(RoundResult[][][] reads, RoundResult[][][] commands) {
        System.out.println("| configuration | in flight | reads/s ÷ commands/s | read p50 ÷ command p50 |");
        System.out.println("|---|---:|---:|---:|");
        for (ClusterShape shape : ClusterShape.values()) {
            for (int f = 0; f < IN_FLIGHT.length; f++) {
                RoundResult[] r = reads[shape.ordinal()][f];
                RoundResult[] c = commands[shape.ordinal()][f];
                System.out.printf("| %s | %d | %.2f | %.2f |%n", shape.label(), IN_FLIGHT[f],
                        median(r, RoundResult::commandsPerSecond) / median(c, RoundResult::commandsPerSecond),
                        median(r, RoundResult::p50Micros) / median(c, RoundResult::p50Micros));
            }
        }
    }

    private static double median(RoundResult[] cell, java.util.function.ToDoubleFunction<RoundResult> field) {
        double[] sorted = Arrays.stream(cell).mapToDouble(field).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double min(RoundResult[] cell) {
        return Arrays.stream(cell).mapToDouble(RoundResult::commandsPerSecond).min().orElse(Double.NaN);
    }

    private static double max(RoundResult[] cell) {
        return Arrays.stream(cell).mapToDouble(RoundResult::commandsPerSecond).max().orElse(Double.NaN);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }
}
