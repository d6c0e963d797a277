package io.raftbus.benchmarks.snapshot;

import java.nio.file.Path;
import java.util.Set;

/**
 * Snapshot benchmarks (a main program, not a test; issue 9), see docs/PERFORMANCE.md "Snapshots":
 * <ol>
 *   <li>{@code start}: start time of a node with 1,000,000 applied entries on a SqliteLog, with a snapshot (restore
 *       and a short tail) against without (whole log replayed), {@link StartTimeBench};</li>
 *   <li>{@code throughput}: a 3-node in-memory cluster taking snapshots every 10,000 entries against none,
 *       {@link ThroughputBench};</li>
 *   <li>{@code install}: a follower far behind caught up over Kafka by a ~100 MB snapshot, {@link KafkaInstallBench}.
 *   </li>
 * </ol>
 * System properties ({@code bench.snapshot.*}): {@code parts} (comma-separated, default all three),
 * {@code start.entries} (1000000), {@code start.tail} (10000), {@code start.slots} (100000), {@code start.rounds}
 * (3), {@code throughput.slots} (100000), {@code throughput.every} (10000), {@code throughput.seconds} (2),
 * {@code throughput.rounds} (3), {@code throughput.warmup} (3), {@code install.slots} (10000),
 * {@code install.value.bytes} (10000), {@code install.chunk.bytes} and {@code install.inflight.chunks} (unset: the
 * RaftConfig defaults). Argument: a scratch directory (emptied; deleted at the end).
 */
public final class SnapshotBenchmark {

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-snapshot").toAbsolutePath();
        Set<String> parts = Set.of(prop("parts", "start,throughput,install").split(","));
        System.out.printf("machine: %d cores, %s %s, Java %s; max heap %,d MB; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, BenchSupport.loadAverage());
        long begin = System.nanoTime();
        if (parts.contains("start")) {
            new StartTimeBench(dir.resolve("start"), Long.parseLong(prop("start.entries", "1000000")),
                    Long.parseLong(prop("start.tail", "10000")), Integer.parseInt(prop("start.slots", "100000")),
                    Integer.parseInt(prop("start.rounds", "3"))).run();
        }
        if (parts.contains("throughput")) {
            new ThroughputBench(dir.resolve("throughput"), Integer.parseInt(prop("throughput.slots", "100000")),
                    Long.parseLong(prop("throughput.every", "10000")),
                    Double.parseDouble(prop("throughput.seconds", "2")),
                    Integer.parseInt(prop("throughput.rounds", "3")),
                    Double.parseDouble(prop("throughput.warmup", "3"))).run();
        }
        if (parts.contains("install")) {
            new KafkaInstallBench(dir.resolve("install"), Integer.parseInt(prop("install.slots", "10000")),
                    Integer.parseInt(prop("install.value.bytes", "10000")), optionalInt("install.chunk.bytes"),
                    optionalInt("install.inflight.chunks")).run();
        }
        System.out.printf("%nwhole run %.0f s; load average at end: %s%n", (System.nanoTime() - begin) / 1e9,
                BenchSupport.loadAverage());
    }

    private static String prop(String name, String defaultValue) {
        String value = System.getProperty("bench.snapshot." + name, "");
        return value.isBlank() ? defaultValue : value.trim();
    }

    private static Integer optionalInt(String name) {
        String value = prop(name, "");
        return value.isEmpty() ? null : Integer.valueOf(value);
    }
}
