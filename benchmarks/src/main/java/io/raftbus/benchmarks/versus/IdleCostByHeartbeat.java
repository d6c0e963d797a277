package io.raftbus.benchmarks.versus;

import io.raftbus.engine.RaftConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle CPU of a three-node raftbus cluster (in memory, as in {@link SideBySideBenchmark}) at several heartbeat
 * periods, for the trade-off between what an idle instance costs and how soon a failed leader is replaced. Election
 * timeouts stay at the defaults (1–2 s) while the heartbeat is below them, so fail-over time does not change with it;
 * from 1 s on they are 5–6 heartbeats (as MicroRaft's 2 s heartbeat and 10 s timeout). Each period runs on a fresh
 * cluster, {@code rounds} times, the periods alternating within a round; prints each figure and the medians.
 *
 * <p>Run: {@code java -cp ... io.raftbus.benchmarks.versus.IdleCostByHeartbeat [idleSeconds [rounds]]}.
 */
public final class IdleCostByHeartbeat {

    private static final long[] HEARTBEATS_MS = {100, 250, 500, 1000, 2000};

    private IdleCostByHeartbeat() {
    }

    public static void main(String[] args) throws Exception {
        double idleSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ResourceMeter meter = new ResourceMeter();
        List<List<Double>> figures = new ArrayList<>();
        for (long ignored : HEARTBEATS_MS) {
            figures.add(new ArrayList<>());
        }
        System.out.printf("load average at start: %.2f%n", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage());
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < HEARTBEATS_MS.length; i++) {
                long hb = HEARTBEATS_MS[i];
                RaftConfig.Builder config = RaftConfig.defaults().toBuilder().heartbeatIntervalMs(hb);
                if (hb >= RaftConfig.defaults().electionTimeoutMinMs()) {
                    config.electionTimeoutMs(5 * hb, 6 * hb);
                }
                try (RaftbusCluster cluster = RaftbusCluster.start(config.build(), false)) {
                    cluster.awaitLeader(Duration.ofSeconds(30));
                    TimeUnit.SECONDS.sleep(1);
                    ResourceMeter.Usage start = meter.read();
                    TimeUnit.NANOSECONDS.sleep((long) (idleSeconds * 1e9));
                    ResourceMeter.Usage idle = meter.read().minus(start);
                    double cpu = 100.0 * idle.javaThreadsCpuNanos() / idle.wallNanos();
                    figures.get(i).add(cpu);
                    System.out.printf("round %d, heartbeat %d ms: idle CPU %.3f%% of one core%n", round + 1, hb, cpu);
                }
                TimeUnit.SECONDS.sleep(1); // the closed cluster's threads end
            }
        }
        for (int i = 0; i < HEARTBEATS_MS.length; i++) {
            List<Double> f = figures.get(i).stream().sorted().toList();
            System.out.printf("heartbeat %d ms: idle CPU median %.3f%% (%.3f–%.3f)%n", HEARTBEATS_MS[i],
                    f.get(f.size() / 2), f.get(0), f.get(f.size() - 1));
        }
        System.out.printf("load average at end: %.2f%n", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
