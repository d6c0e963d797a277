package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.benchmarks.BenchCluster;
import io.raftbus.benchmarks.ClusterShape;
import io.raftbus.benchmarks.LoadDriver;
import io.raftbus.benchmarks.RoundResult;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark (a main program, not a test) of raftbus's commit latency over Kafka + SQLite against what it is made of,
 * all measured in the same run on one embedded broker: for each {@link LatencyVariant} of transport settings
 * (default {@code linger.ms=0} against {@code linger.ms=1}), the broker's own hop and round trip with the
 * transport's client settings ({@link BrokerEcho}), the same round trip through two {@code KafkaTransport}s
 * ({@link TransportEcho}), one durable SQLite append ({@link FsyncProbe}), and a 3-node raftbus cluster's commits
 * with 1 in flight (Kafka + SQLite, and Kafka + in-memory log) and with many in flight (Kafka + SQLite), and an
 * InMemoryNetwork + SQLite cluster's commits with 1 in flight (the engine's own cost with its fsyncs and no Kafka). A
 * variant may also set the clusters' engine ({@code engine.leaderAppendOverlapsSend=false}: the leader appends, then
 * sends, as before the overlap).
 *
 * <p>Every cluster and probe stays up for the whole run; each round measures every variant, in an order that
 * alternates every round, each cell for {@code bench.latency.seconds}. Reported per variant: medians over the rounds,
 * and the ratio commit p50 ÷ (broker round trip p50 + fsync p50), computed per round (median, min–max).
 *
 * <p>System properties: {@code bench.latency.variants} ({@code ;}-separated, each {@code key=value,...} of
 * {@code KafkaTransportConfig}, or {@code defaults}; default {@code linger.ms=0;linger.ms=1}),
 * {@code bench.latency.seconds} (2), {@code bench.latency.rounds} (4), {@code bench.latency.in.flight} (256).
 */
public final class KafkaLatencyBenchmark {

    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

    private KafkaLatencyBenchmark() {
    }

    /** The probes and clusters of one variant. */
    private record Rig(LatencyVariant variant, BrokerEcho broker, BrokerEcho fanOut, TransportEcho transport,
                       FsyncProbe fsync, BenchCluster kafkaSqlite, BenchCluster kafkaMemory,
                       BenchCluster memorySqlite) implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable part : new AutoCloseable[] {memorySqlite, kafkaMemory, kafkaSqlite, fsync, transport,
                    fanOut, broker}) {
                try {
                    if (part != null) {
                        part.close();
                    }
                } catch (Exception e) {
                    System.err.println("closing " + variant.name() + ": " + e);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        List<LatencyVariant> variants = LatencyVariant.parseAll(
                System.getProperty("bench.latency.variants", "linger.ms=0;linger.ms=1"));
        double seconds = Double.parseDouble(System.getProperty("bench.latency.seconds", "2"));
        int rounds = Integer.parseInt(System.getProperty("bench.latency.rounds", "4"));
        int many = Integer.parseInt(System.getProperty("bench.latency.in.flight", "256"));
        System.out.printf("machine: %d cores, %s %s, Java %s; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), BenchSupport.loadAverage());
        System.out.printf("variants %s; %s s per cell, %d rounds (median), 100-byte commands, 1 and %d in flight%n",
                variants.stream().map(LatencyVariant::name).toList(), seconds, rounds, many);
        long begin = System.nanoTime();
        Path dataDir = Files.createTempDirectory("raftbus-latency-bench-");
        List<Rig> rigs = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try {
                for (int v = 0; v < variants.size(); v++) {
                    LatencyVariant variant = variants.get(v);
                    KafkaTransportConfig.Builder base = config(broker.bootstrapServers(), variant);
                    KafkaTransportConfig echoConfig = config(broker.bootstrapServers(), variant)
                            .clusterId("latb-v" + v).members(java.util.Set.of("a", "b")).build();
                    BrokerEcho brokerEcho = new BrokerEcho(echoConfig, "v" + v);
                    BrokerEcho fanOut = new BrokerEcho(echoConfig, "fan-v" + v, 2);
                    TransportEcho transportEcho = new TransportEcho(base, "v" + v);
                    FsyncProbe fsync = new FsyncProbe(dataDir.resolve("fsync-probe-v" + v + ".db"),
                            variant.sqliteOptions());
                    BenchCluster ks = BenchCluster.start(ClusterShape.KAFKA_SQLITE_LOG, "lat-ks-v" + v,
                            broker.bootstrapServers(), dataDir, variant.transportProperties(), variant.raftConfig(),
                            variant.sqliteOptions());
                    BenchCluster km = BenchCluster.start(ClusterShape.KAFKA_MEMORY_LOG, "lat-km-v" + v,
                            broker.bootstrapServers(), dataDir, variant.transportProperties(), variant.raftConfig());
                    BenchCluster ms = BenchCluster.start(ClusterShape.MEMORY_NETWORK_SQLITE_LOG, "lat-ms-v" + v,
                            broker.bootstrapServers(), dataDir, Map.of(), variant.raftConfig(),
                            variant.sqliteOptions());
                    rigs.add(new Rig(variant, brokerEcho, fanOut, transportEcho, fsync, ks, km, ms));
                }
                warmUp(rigs, many);
                System.out.printf("set-up and warm-up took %.0f s%n", (System.nanoTime() - begin) / 1e9);
                VariantRound[][] results = new VariantRound[rigs.size()][rounds];
                for (int round = 0; round < rounds; round++) {
                    System.out.printf("round %d, load average %s%n", round + 1, BenchSupport.loadAverage());
                    for (int k = 0; k < rigs.size(); k++) {
                        int v = round % 2 == 0 ? k : rigs.size() - 1 - k;
                        results[v][round] = measure(rigs.get(v), seconds, many);
                        System.out.printf("  %-40s %s%n", rigs.get(v).variant().name(), describe(results[v][round]));
                    }
                }
                System.out.printf("load average at end: %s; whole run %.0f s; SQLite durability %s%n%n",
                        BenchSupport.loadAverage(), (System.nanoTime() - begin) / 1e9,
                        rigs.stream().map(r -> r.fsync().durability()).toList());
                printTables(rigs, results, many);
            } finally { // before the broker stops, so the clients close at once
                for (Rig rig : rigs) {
                    rig.close();
                }
            }
        } finally {
            BenchSupport.deleteRecursively(dataDir);
        }
    }

    private static KafkaTransportConfig.Builder config(String bootstrap, LatencyVariant variant) {
        KafkaTransportConfig.Builder builder = KafkaTransportConfig.builder().bootstrapServers(bootstrap);
        variant.transportProperties().forEach(builder::property);
        return builder;
    }

    private static void warmUp(List<Rig> rigs, int many) throws Exception {
        for (Rig rig : rigs) {
            rig.fsync().run(0.5);
            rig.fanOut().run(0.5);
            new LoadDriver(rig.memorySqlite().awaitLeader(LEADER_TIMEOUT), 1).run(0.5);
            rig.broker().run(0.5);
            rig.transport().run(0.5);
            new LoadDriver(rig.kafkaSqlite().awaitLeader(LEADER_TIMEOUT), many).run(1);
            new LoadDriver(rig.kafkaSqlite().awaitLeader(LEADER_TIMEOUT), 1).run(0.5);
            new LoadDriver(rig.kafkaMemory().awaitLeader(LEADER_TIMEOUT), 1).run(0.5);
        }
    }

    private static VariantRound measure(Rig rig, double seconds, int many) throws Exception {
        Nanos[] broker = rig.broker().run(seconds);
        Nanos[] fanOut = rig.fanOut().run(seconds / 2);
        Nanos[] transport = rig.transport().run(seconds);
        Nanos appends = rig.fsync().run(seconds);
        RoundResult ksOne = new LoadDriver(rig.kafkaSqlite().awaitLeader(LEADER_TIMEOUT), 1).run(seconds);
        RoundResult kmOne = new LoadDriver(rig.kafkaMemory().awaitLeader(LEADER_TIMEOUT), 1).run(seconds);
        RoundResult ksMany = new LoadDriver(rig.kafkaSqlite().awaitLeader(LEADER_TIMEOUT), many).run(seconds);
        RoundResult msOne = new LoadDriver(rig.memorySqlite().awaitLeader(LEADER_TIMEOUT), 1).run(seconds);
        return new VariantRound(Percentiles.of(broker[0]), Percentiles.of(broker[1]), Percentiles.of(fanOut[1]),
                Percentiles.of(transport[0]),
                Percentiles.of(transport[1]), Percentiles.of(appends), ksOne, kmOne, ksMany, msOne);
    }

    private static String describe(VariantRound r) {
        return String.format("broker hop %.3f RTT %.3f/%.3f RTT2 %.3f | transport hop %.3f RTT %.3f/%.3f |"
                        + " fsync %.3f/%.3f | K+S@1 %.3f/%.3f | K+M@1 %.3f | K+S@many %,.0f/s p50 %.2f |"
                        + " M+S@1 %.3f | ratio %.2f%s",
                r.brokerHop().p50(), r.brokerRoundTrip().p50(), r.brokerRoundTrip().p99(), r.fanOutRoundTrip().p50(),
                r.transportHop().p50(),
                r.transportRoundTrip().p50(), r.transportRoundTrip().p99(), r.fsync().p50(), r.fsync().p99(),
                r.kafkaSqliteOne().p50Micros() / 1e3, r.kafkaSqliteOne().p99Micros() / 1e3,
                r.kafkaMemoryOne().p50Micros() / 1e3, r.kafkaSqliteMany().commandsPerSecond(),
                r.kafkaSqliteMany().p50Micros() / 1e3, r.memorySqliteOne().p50Micros() / 1e3,
                r.ratioToRoundTripPlusFsync(),
                failures(r) > 0 ? "  failed " + failures(r) : "");
    }

    private static long failures(VariantRound r) {
        return r.kafkaSqliteOne().failed() + r.kafkaMemoryOne().failed() + r.kafkaSqliteMany().failed()
                + r.memorySqliteOne().failed();
    }

    private static void printTables(List<Rig> rigs, VariantRound[][] results, int many) {
        System.out.println("Components, one at a time (p50 / p99 ms, median over rounds):");
        System.out.println("| variant | broker hop p50 | broker round trip | to two receivers, first echo p50 |"
                + " transport round trip | SQLite append (fsync) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int v = 0; v < rigs.size(); v++) {
            VariantRound[] c = results[v];
            System.out.printf("| %s | %.2f | %.2f / %.2f | %.2f | %.2f / %.2f | %.2f / %.2f |%n",
                    rigs.get(v).variant().name(), median(c, r -> r.brokerHop().p50()),
                    median(c, r -> r.brokerRoundTrip().p50()), median(c, r -> r.brokerRoundTrip().p99()),
                    median(c, r -> r.fanOutRoundTrip().p50()),
                    median(c, r -> r.transportRoundTrip().p50()), median(c, r -> r.transportRoundTrip().p99()),
                    median(c, r -> r.fsync().p50()), median(c, r -> r.fsync().p99()));
        }
        System.out.println();
        System.out.println("Commits (ms; ratios computed per round, median and min–max over rounds):");
        System.out.printf("| variant | K+S 1 in flight p50 / p99 | ÷ (RTT + fsync) | ÷ (two-receiver RTT + fsync) |"
                + " ÷ (RTT + 2 fsyncs) | K+mem 1 in flight p50 | K+S %d in flight cmds/s (min–max) | p50 / p99 |"
                + " InMemoryNetwork+S 1 in flight p50"
                + " (min–max) | failed |%n", many);
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int v = 0; v < rigs.size(); v++) {
            VariantRound[] c = results[v];
            long failed = Arrays.stream(c).mapToLong(KafkaLatencyBenchmark::failures).sum();
            System.out.printf("| %s | %.2f / %.2f | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f"
                            + " | %,.0f (%,.0f–%,.0f) | %.2f / %.2f | %.2f (%.2f–%.2f) | %d |%n",
                    rigs.get(v).variant().name(),
                    median(c, r -> r.kafkaSqliteOne().p50Micros() / 1e3),
                    median(c, r -> r.kafkaSqliteOne().p99Micros() / 1e3),
                    median(c, VariantRound::ratioToRoundTripPlusFsync), min(c, VariantRound::ratioToRoundTripPlusFsync),
                    max(c, VariantRound::ratioToRoundTripPlusFsync),
                    median(c, VariantRound::ratioToFanOutRoundTripPlusFsync),
                    min(c, VariantRound::ratioToFanOutRoundTripPlusFsync),
                    max(c, VariantRound::ratioToFanOutRoundTripPlusFsync),
                    median(c, VariantRound::ratioToRoundTripPlusTwoFsyncs),
                    min(c, VariantRound::ratioToRoundTripPlusTwoFsyncs),
                    max(c, VariantRound::ratioToRoundTripPlusTwoFsyncs),
                    median(c, r -> r.kafkaMemoryOne().p50Micros() / 1e3),
                    median(c, r -> r.kafkaSqliteMany().commandsPerSecond()),
                    min(c, r -> r.kafkaSqliteMany().commandsPerSecond()),
                    max(c, r -> r.kafkaSqliteMany().commandsPerSecond()),
                    median(c, r -> r.kafkaSqliteMany().p50Micros() / 1e3),
                    median(c, r -> r.kafkaSqliteMany().p99Micros() / 1e3),
                    median(c, r -> r.memorySqliteOne().p50Micros() / 1e3),
                    min(c, r -> r.memorySqliteOne().p50Micros() / 1e3),
                    max(c, r -> r.memorySqliteOne().p50Micros() / 1e3), failed);
        }
    }

    private static double median(VariantRound[] rounds, ToDoubleFunction<VariantRound> field) {
        return median(Arrays.stream(rounds).mapToDouble(field).sorted().toArray());
    }

    private static double min(VariantRound[] rounds, ToDoubleFunction<VariantRound> field) {
        return Arrays.stream(rounds).mapToDouble(field).min().orElse(Double.NaN);
    }

    private static double max(VariantRound[] rounds, ToDoubleFunction<VariantRound> field) {
        return Arrays.stream(rounds).mapToDouble(field).max().orElse(Double.NaN);
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
