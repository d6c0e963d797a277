package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.benchmarks.BenchCluster;
import io.raftbus.benchmarks.ClusterShape;
import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.engine.RaftNode;
import io.raftbus.kafka.HopTrace;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where one command's commit time goes over Kafka + in-memory log, one command at a time (a main program, not a
 * test; run with {@code -Draftbus.kafka.hopTrace=true}, see {@link HopTrace}). For each variant of transport settings
 * ({@code bench.hops.variants}, as {@link LatencyVariant}; default the lane against the direct send) a 3-node cluster
 * on one embedded broker commits commands one at a time; the transport's stamps of each command's AppendEntries and
 * of the acknowledgement that committed it, with the caller's submit and wake-up, split the commit into segments,
 * whose medians are printed per round next to the bare broker's hop and round trip ({@link BrokerEcho}) measured in
 * the same round, alone and with each record produced to two receivers (a leader's AppendEntries to two
 * followers, the first echo ending the round trip). Options: {@code bench.hops.rounds} (4), {@code bench.hops.seconds} (3).
 */
public final class HopBreakdown {

    private static final String[] SEGMENTS = {
        "submit -> leader send() called",
        "leader send() -> producer (lane wake-up)",
        "leader encode + producer.send",
        "producer.send returned -> follower poll returned",
        "follower decode + filter",
        "follower event queue -> its send() (loop wake-up, append, answer)",
        "follower send() -> producer (lane wake-up)",
        "follower encode + producer.send",
        "producer.send returned -> leader poll returned",
        "leader decode + filter",
        "leader event queue -> caller wakes (loop, commit, callback thread)",
        "(leader's record acknowledged after producer.send returned)",
        "total (caller's submit to wake-up)",
    };

    private HopBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        if (!HopTrace.ENABLED) {
            throw new IllegalStateException("run with -Draftbus.kafka.hopTrace=true");
        }
        List<LatencyVariant> variants = LatencyVariant.parseAll(System.getProperty("bench.hops.variants",
                "linger.ms=0,raftbus.send.direct=false;linger.ms=0,raftbus.send.direct=true"));
        int rounds = Integer.parseInt(System.getProperty("bench.hops.rounds", "4"));
        double seconds = Double.parseDouble(System.getProperty("bench.hops.seconds", "3"));
        System.out.printf("machine: %d cores, Java %s; load average at start: %s; variants %s, %d rounds of %s s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                BenchSupport.loadAverage(), variants.stream().map(LatencyVariant::name).toList(), rounds, seconds);
        Path dataDir = Files.createTempDirectory("raftbus-hops-");
        List<BenchCluster> clusters = new ArrayList<>();
        List<BrokerEcho> echoes = new ArrayList<>();
        List<BrokerEcho> fanOuts = new ArrayList<>();
        Map<Integer, List<double[]>> probes = new HashMap<>();
        Map<Integer, List<double[]>> perVariant = new HashMap<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try {
                for (int v = 0; v < variants.size(); v++) {
                    LatencyVariant variant = variants.get(v);
                    KafkaTransportConfig.Builder echo = KafkaTransportConfig.builder()
                            .bootstrapServers(broker.bootstrapServers()).clusterId("hopb-v" + v)
                            .members(Set.of("a", "b"));
                    variant.transportProperties().forEach(echo::property);
                    echoes.add(new BrokerEcho(echo.build(), "hops-v" + v));
                    fanOuts.add(new BrokerEcho(echo.build(), "hops-fan-v" + v, 2));
                    clusters.add(BenchCluster.start(ClusterShape.KAFKA_MEMORY_LOG, "hops-v" + v,
                            broker.bootstrapServers(), dataDir, variant.transportProperties(), variant.raftConfig()));
                }
                for (int v = 0; v < variants.size(); v++) { // warm-up
                    echoes.get(v).run(1);
                    fanOuts.get(v).run(1);
                    commitOneAtATime(clusters.get(v).awaitLeader(Duration.ofSeconds(60)), 2);
                }
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < variants.size(); k++) {
                        int v = round % 2 == 0 ? k : variants.size() - 1 - k;
                        Nanos[] echo = echoes.get(v).run(Math.min(2, seconds));
                        Nanos[] fanOut = fanOuts.get(v).run(Math.min(2, seconds));
                        RaftNode leader = clusters.get(v).awaitLeader(Duration.ofSeconds(60));
                        String load = BenchSupport.loadAverage();
                        HopTrace.clear();
                        List<long[]> commands = commitOneAtATime(leader, seconds);
                        double[] medians = segments("hops-v" + v, leader.nodeId(), commands, HopTrace.stamps());
                        perVariant.computeIfAbsent(v, x -> new ArrayList<>()).add(medians);
                        probes.computeIfAbsent(v, x -> new ArrayList<>()).add(new double[] {echo[0].millis(50),
                            echo[1].millis(50), fanOut[0].millis(50), fanOut[1].millis(50)});
                        System.out.printf("round %d, %s (load %s): broker hop %.3f RTT %.3f ms, to two receivers"
                                        + " hop %.3f RTT %.3f ms; commits %d%n", round + 1, variants.get(v).name(),
                                load, echo[0].millis(50), echo[1].millis(50), fanOut[0].millis(50),
                                fanOut[1].millis(50), commands.size());
                        for (int s = 0; s < SEGMENTS.length; s++) {
                            System.out.printf("    %-72s %8.1f µs%n", SEGMENTS[s], medians[s]);
                        }
                    }
                }
                System.out.printf("load average at end: %s%n%nMedian over rounds of each segment's median (µs):%n",
                        BenchSupport.loadAverage());
                System.out.print("| segment |");
                variants.forEach(variant -> System.out.print(" " + variant.name() + " |"));
                System.out.println();
                printRows(SEGMENTS, perVariant, variants.size(), "%.1f");
                printRows(new String[] {"broker hop (ms)", "broker round trip (ms)",
                    "broker hop, to two receivers (ms)", "broker round trip, to two receivers, first echo (ms)"},
                        probes, variants.size(), "%.3f");
            } finally {
                for (BenchCluster cluster : clusters) {
                    cluster.close();
                }
                for (BrokerEcho echo : echoes) {
                    echo.close();
                }
                for (BrokerEcho echo : fanOuts) {
                    echo.close();
                }
            }
        } finally {
            BenchSupport.deleteRecursively(dataDir);
        }
    }

    /** One table row per name: each variant's median (min–max) over rounds of that column of its rows. */
    private static void printRows(String[] names, Map<Integer, List<double[]>> perVariant, int variants,
                                  String format) {
        for (int column = 0; column < names.length; column++) {
            System.out.print("| " + names[column] + " |");
            for (int v = 0; v < variants; v++) {
                int c = column;
                double[] values = perVariant.get(v).stream().mapToDouble(m -> m[c]).sorted().toArray();
                System.out.printf(" " + format + " (" + format + "–" + format + ") |", median(values), values[0],
                        values[values.length - 1]);
            }
            System.out.println();
        }
    }

    /** Commits 100-byte commands one at a time for {@code seconds}; returns {submitted, woke} per command. */
    private static List<long[]> commitOneAtATime(RaftNode leader, double seconds) throws Exception {
        List<long[]> commands = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        byte[] command = new byte[100];
        while (System.nanoTime() < end) {
            long submitted = System.nanoTime();
            leader.submit(command).get(10, TimeUnit.SECONDS);
            commands.add(new long[] {submitted, System.nanoTime()});
        }
        return commands;
    }

    /** Each segment's median (µs) over the commands whose every stamp was found. */
    private static double[] segments(String cluster, String leader, List<long[]> commands, List<HopTrace.Stamp> all) {
        Map<String, List<Long>> byKey = new LinkedHashMap<>();
        for (HopTrace.Stamp s : all) {
            if (cluster.equals(s.cluster())) {
                byKey.computeIfAbsent(key(s.stage(), s.kind(), s.from(), s.to(), s.index()), k -> new ArrayList<>())
                        .add(s.nanos());
            }
        }
        List<List<Double>> samples = new ArrayList<>();
        for (int s = 0; s < SEGMENTS.length; s++) {
            samples.add(new ArrayList<>());
        }
        Map<Long, Long> indexBySubmit = new HashMap<>();
        for (HopTrace.Stamp s : all) {
            if (cluster.equals(s.cluster()) && s.stage() == HopTrace.STAGE_SEND_CALLED
                    && s.kind() == HopTrace.KIND_APPEND && leader.equals(s.from())) {
                indexBySubmit.putIfAbsent(s.nanos(), s.index());
            }
        }
        for (long[] command : commands) {
            long index = indexBySubmit.entrySet().stream().filter(e -> e.getKey() >= command[0] && e.getKey() <= command[1])
                    .mapToLong(Map.Entry::getValue).min().orElse(-1);
            if (index < 0) {
                continue;
            }
            long[] best = null;
            for (String follower : List.of("n1", "n2", "n3")) {
                if (follower.equals(leader)) {
                    continue;
                }
                long[] t = new long[12];
                int a = HopTrace.KIND_APPEND;
                int r = HopTrace.KIND_APPEND_RESPONSE;
                t[0] = first(byKey, key(HopTrace.STAGE_SEND_CALLED, a, leader, follower, index), command[0]);
                t[1] = first(byKey, key(HopTrace.STAGE_HANDED_TO_PRODUCER, a, leader, follower, index), t[0]);
                t[2] = first(byKey, key(HopTrace.STAGE_PRODUCER_RETURNED, a, leader, follower, index), t[1]);
                t[3] = first(byKey, key(HopTrace.STAGE_POLLED, a, leader, follower, index), t[2]);
                t[4] = first(byKey, key(HopTrace.STAGE_HANDED_INBOUND, a, leader, follower, index), t[3]);
                t[5] = first(byKey, key(HopTrace.STAGE_SEND_CALLED, r, follower, leader, index), t[4]);
                t[6] = first(byKey, key(HopTrace.STAGE_HANDED_TO_PRODUCER, r, follower, leader, index), t[5]);
                t[7] = first(byKey, key(HopTrace.STAGE_PRODUCER_RETURNED, r, follower, leader, index), t[6]);
                t[8] = first(byKey, key(HopTrace.STAGE_POLLED, r, follower, leader, index), t[7]);
                t[9] = first(byKey, key(HopTrace.STAGE_HANDED_INBOUND, r, follower, leader, index), t[8]);
                t[10] = first(byKey, key(HopTrace.STAGE_ACKNOWLEDGED, a, leader, follower, index), t[2]);
                t[11] = command[1];
                boolean complete = true;
                for (long x : t) {
                    complete &= x > 0;
                }
                if (complete && t[9] <= command[1] && (best == null || t[9] < best[9])) {
                    best = t;
                }
            }
            if (best == null) {
                continue;
            }
            long[] t = best;
            double[] d = {t[0] - command[0], t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4],
                t[6] - t[5], t[7] - t[6], t[8] - t[7], t[9] - t[8], command[1] - t[9], t[10] - t[2],
                command[1] - command[0]};
            for (int s = 0; s < d.length; s++) {
                samples.get(s).add(d[s] / 1e3);
            }
        }
        double[] medians = new double[SEGMENTS.length];
        for (int s = 0; s < SEGMENTS.length; s++) {
            medians[s] = median(samples.get(s).stream().mapToDouble(Double::doubleValue).sorted().toArray());
        }
        return medians;
    }

    private static String key(int stage, int kind, String from, String to, long index) {
        return stage + "|" + kind + "|" + from + "|" + to + "|" + index;
    }

    /** The first stamp under {@code key} at or after {@code notBefore}, or 0. */
    private static long first(Map<String, List<Long>> byKey, String key, long notBefore) {
        if (notBefore <= 0) {
            return 0;
        }
        for (long nanos : byKey.getOrDefault(key, List.of())) {
            if (nanos >= notBefore) {
                return nanos;
            }
        }
        return 0;
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
