package io.raftbus.benchmarks.versus;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.engine.RaftConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Where one command's time goes, one command at a time in memory (the side-by-side benchmark's p50 workload: 3 nodes
 * in one JVM, 100-byte commands, no-op state machines, the next command submitted once the caller woke from the
 * previous one's completion): raftbus at its defaults, raftbus with {@link RaftConfig#completeOnEventLoop()} and
 * MicroRaft, alternating, each command's path split by {@link HopStamps} taken in instrumented transports, logs
 * and state machines (the libraries' own code runs unchanged). Prints each segment's median per round and, at the
 * end, the median over rounds (min–max), next to one thread hand-off ({@link ParkPingPong}). A main program, not a
 * test; options {@code bench.hops.rounds} (3), {@code bench.hops.commands} (20000 per round, after as many to warm
 * up), {@code bench.hops.contenders} (a comma-separated subset of {@code raftbus,raftbus on loop,MicroRaft}).
 */
public final class OneAtATimeHops {

    private static final String[] SEGMENTS = {
        "submit -> leader sends entries (leader wake-up, intake, append)",
        "leader sends -> follower appends (follower wake-up, receive)",
        "follower appends -> answers",
        "follower answers -> leader applies (leader wake-up, commit)",
        "leader applies -> dependent runs (completion hand-over)",
        "dependent runs -> caller wakes",
    };
    private static final String FOLLOWER_TOTAL = "leader sends -> follower answers";
    private static final String TO_DEPENDENT = "submit -> dependent runs";
    private static final String TOTAL = "submit -> caller wakes (one command)";
    private static final String HAND_OFF = "one park/unpark hand-off (ping-pong / 2)";

    private OneAtATimeHops() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.hops.rounds", 3);
        int commands = Integer.getInteger("bench.hops.commands", 20_000);
        System.out.printf("machine: %d cores, Java %s; load average at start: %s; %d rounds of %d commands%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                BenchSupport.loadAverage(), rounds, commands);
        String[] contenders = System.getProperty("bench.hops.contenders", "raftbus,raftbus on loop,MicroRaft")
                .split(",");
        Map<String, Map<String, List<Double>>> byContender = new LinkedHashMap<>();
        for (String c : contenders) {
            byContender.put(c, new LinkedHashMap<>());
        }
        for (int round = 1; round <= rounds; round++) {
            for (String contender : contenders) {
                Map<String, Double> medians = runOnce(contender, commands);
                medians.put(HAND_OFF, ParkPingPong.medianOneWayNanos(commands) / 1000.0);
                System.out.printf("round %d, %-16s %s (load %s)%n", round, contender, format(medians),
                        BenchSupport.loadAverage());
                medians.forEach((k, v) -> byContender.get(contender).computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
        }
        System.out.printf("load average at end: %s%n%nMedian over rounds of each segment's median, µs (min–max):%n",
                BenchSupport.loadAverage());
        System.out.println("| segment | " + String.join(" | ", contenders) + " |");
        System.out.println("|---|" + "---:|".repeat(contenders.length));
        for (String segment : byContender.get(contenders[0]).keySet()) {
            StringBuilder row = new StringBuilder("| " + segment + " |");
            for (String c : contenders) {
                row.append(' ').append(summary(byContender.get(c).get(segment))).append(" |");
            }
            System.out.println(row);
        }
    }

    private static Map<String, Double> runOnce(String contender, int commands) throws Exception {
        HopStamps stamps = new HopStamps(!contender.equals("MicroRaft"));
        ClusterUnderTest cluster;
        String leaderId;
        if (contender.equals("MicroRaft")) {
            MicroRaftCluster microRaft = MicroRaftCluster.start(stamps);
            microRaft.awaitLeader(Duration.ofSeconds(30));
            cluster = microRaft;
            leaderId = microRaft.leaderId();
        } else {
            RaftConfig config = RaftConfig.defaults().toBuilder()
                    .completeOnEventLoop(contender.equals("raftbus on loop")).build();
            RaftbusCluster raftbus = RaftbusCluster.start(config, false, stamps);
            raftbus.awaitLeader(Duration.ofSeconds(30));
            cluster = raftbus;
            leaderId = raftbus.leaderId();
        }
        try {
            stamps.leader(leaderId);
            drive(cluster, stamps, commands, null);
            long[][] samples = new long[SEGMENTS.length + 3][commands];
            drive(cluster, stamps, commands, samples);
            Map<String, Double> medians = new LinkedHashMap<>();
            for (int s = 0; s < SEGMENTS.length; s++) {
                medians.put(SEGMENTS[s], median(samples[s]));
            }
            medians.put(FOLLOWER_TOTAL, median(samples[SEGMENTS.length]));
            medians.put(TO_DEPENDENT, median(samples[SEGMENTS.length + 1]));
            medians.put(TOTAL, median(samples[SEGMENTS.length + 2]));
            return medians;
        } finally {
            cluster.close();
        }
    }

    /** Commits {@code commands} one at a time; with {@code samples}, records each one's segments in them. */
    private static void drive(ClusterUnderTest cluster, HopStamps stamps, int commands, long[][] samples)
            throws InterruptedException {
        Semaphore done = new Semaphore(0);
        byte[] payload = new byte[ClosedLoop.OPERATION_BYTES];
        int recorded = 0;
        for (int i = 0; i < commands; i++) {
            byte[] command = payload.clone();
            for (int b = 0; b < 8; b++) {
                command[b] = (byte) (i >>> (8 * b));
            }
            stamps.submit();
            cluster.submit(command).whenComplete((result, error) -> {
                stamps.reached(HopStamps.Stage.DEPENDENT_RAN);
                done.release();
            });
            done.acquire();
            stamps.reached(HopStamps.Stage.CALLER_WOKE);
            long[] segments = stamps.segments();
            if (samples == null || segments == null) {
                continue;
            }
            for (int s = 0; s < SEGMENTS.length; s++) {
                samples[s][recorded] = segments[s];
            }
            samples[SEGMENTS.length][recorded] = segments[1] + segments[2];
            samples[SEGMENTS.length + 1][recorded] = Arrays.stream(segments, 0, SEGMENTS.length - 1).sum();
            samples[SEGMENTS.length + 2][recorded] = Arrays.stream(segments).sum();
            recorded++;
        }
        if (samples != null) {
            for (int s = 0; s < samples.length; s++) {
                samples[s] = Arrays.copyOf(samples[s], recorded);
            }
        }
    }

    private static double median(long[] nanos) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1000.0;
    }

    private static String format(Map<String, Double> medians) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (double v : medians.values()) {
            out.append(i++ == 0 ? "" : " / ").append(String.format("%.1f", v));
        }
        return out.toString();
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format("%.1f (%.1f–%.1f)", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
