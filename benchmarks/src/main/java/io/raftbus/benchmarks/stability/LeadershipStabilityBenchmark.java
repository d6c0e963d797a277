package io.raftbus.benchmarks.stability;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.engine.RaftNode;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark (a main program, not a test) of how stable leadership is on this machine: a three-node cluster on an
 * embedded Kafka broker with SQLite logs, as the demo builds it, under a light steady command load for a set time.
 * Reports elections, leader changes and step-downs by cause (as rates per hour of the steady phase), time to the
 * first leader, command latency and failures, and what explains them: AppendEntries one-way latency through Kafka,
 * the gaps between AppendEntries a follower sees, GC pauses and this JVM's scheduling delay. Then measures crash
 * failover: the leader is closed without a hand-over, and the time until a new command commits is taken.
 * Settings: {@link StabilitySettings}.
 */
public final class LeadershipStabilityBenchmark {

    private static final long FIRST_LEADER_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final long FAILOVER_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private LeadershipStabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StabilitySettings settings = StabilitySettings.fromSystemProperties();
        System.out.println("leadership stability: " + settings.describe());
        System.out.println("load average before: " + BenchSupport.loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores)");
        Path dataDir = Files.createTempDirectory("raftbus-stability-");
        long brokerStart = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             GcPauses gc = new GcPauses();
             HiccupProbe hiccups = new HiccupProbe()) {
            long start = System.nanoTime();
            System.out.printf("embedded broker started in %.2f s%n", (start - brokerStart) / 1e9);
            LeadershipRecorder recorder = new LeadershipRecorder(start);
            try (StabilityCluster cluster = new StabilityCluster(settings, broker.bootstrapServers(), dataDir,
                    recorder)) {
                cluster.startAll();
                await(cluster::settled, start + FIRST_LEADER_TIMEOUT_NANOS, "a first leader");
                System.out.printf("first leader %.2f s after the nodes began to start (cluster settled %.2f s)%n",
                        recorder.secondsToFirstLeader(), (System.nanoTime() - start) / 1e9);
                steadyPhase(settings, cluster, recorder, gc, hiccups);
                crashFailovers(settings, cluster);
                System.out.println("leadership timeline (s since the nodes began to start):");
                recorder.timeline().forEach(line -> System.out.println("  " + line));
            }
        } finally {
            BenchSupport.deleteRecursively(dataDir);
        }
        System.out.println("load average after: " + BenchSupport.loadAverage());
        System.exit(0); // Kafka leaves non-daemon threads behind
    }

    private static void steadyPhase(StabilitySettings settings, StabilityCluster cluster, LeadershipRecorder recorder,
                                     GcPauses gc, HiccupProbe hiccups) {
        int elections0 = recorder.elections();
        int leaders0 = recorder.leaders();
        int pre0 = recorder.preCampaigns();
        int quorum0 = recorder.checkQuorumStepDowns();
        int higher0 = recorder.higherTermStepDowns();
        long term0 = cluster.maxTerm();
        int gcCount0 = gc.pauseMillis().count();
        long phaseStart = System.nanoTime();
        String loadAtStart = BenchSupport.loadAverage();
        try (SteadyLoad load = new SteadyLoad(cluster, settings.commandsPerSecond())) {
            LockSupport.parkNanos((long) (settings.seconds() * 1e9));
            String loadAtEnd = BenchSupport.loadAverage();
            load.stopAndDrain(settings.raftConfig().commandTimeoutMs() + 2_000);
            double hours = (System.nanoTime() - phaseStart) / 3.6e12;
            System.out.printf("steady phase: %.0f s, load average %s at start, %s at end%n", hours * 3600,
                    loadAtStart, loadAtEnd);
            int elections = recorder.elections() - elections0;
            int leaders = recorder.leaders() - leaders0;
            System.out.printf("  elections %d (%.0f/h), new leaders %d (%.0f/h), pre-campaigns %d (%.0f/h), "
                            + "term %d -> %d%n", elections, elections / hours, leaders, leaders / hours,
                    recorder.preCampaigns() - pre0, (recorder.preCampaigns() - pre0) / hours, term0,
                    cluster.maxTerm());
            System.out.printf("  leader step-downs: CheckQuorum %d, higher term %d%n",
                    recorder.checkQuorumStepDowns() - quorum0, recorder.higherTermStepDowns() - higher0);
            System.out.printf("  commands: %d submitted, %d applied, %d not applied (retriable), %d outcome unknown,"
                            + " %d other, %d still pending; latency %s%n", load.submitted(),
                    load.latencyMillis().count(), load.notApplied(), load.unknown(), load.otherFailures(),
                    load.stillPending(), load.latencyMillis().summary());
            long electionMin = settings.raftConfig().electionTimeoutMinMs();
            System.out.printf("  AppendEntries one-way through Kafka: %s; >100 ms: %d%n",
                    cluster.oneWayMillis().summary(), cluster.oneWayMillis().countAbove(100));
            System.out.printf("  gaps between AppendEntries of one leader term at a follower: %s;"
                            + " > election min (%d ms): %d%n",
                    cluster.heartbeatGapMillis().summary(), electionMin,
                    cluster.heartbeatGapMillis().countAbove(electionMin));
            System.out.printf("  durable log writes on the event loops (whole run): %s; >100 ms: %d, >%d ms: %d%n",
                    cluster.logWriteMillis().summary(), cluster.logWriteMillis().countAbove(100), electionMin / 2,
                    cluster.logWriteMillis().countAbove(electionMin / 2.0));
            System.out.printf("  GC pauses (whole run): %s, %d in the steady phase%n", gc.pauseMillis().summary(),
                    gc.pauseMillis().count() - gcCount0);
            System.out.printf("  scheduling delay of a 10 ms sleep (whole run): %s; >100 ms: %d, >%d ms: %d%n",
                    hiccups.lateMillis().summary(), hiccups.lateMillis().countAbove(100), electionMin / 2,
                    hiccups.lateMillis().countAbove(electionMin / 2.0));
        }
    }

    private static void crashFailovers(StabilitySettings settings, StabilityCluster cluster) {
        Samples failoverMillis = new Samples();
        for (int i = 0; i < settings.crashFailovers(); i++) {
            await(cluster::settled, System.nanoTime() + FAILOVER_TIMEOUT_NANOS, "a settled cluster before a crash");
            RaftNode leader = cluster.leader().orElseThrow();
            long crash = System.nanoTime();
            cluster.kill(leader.nodeId());
            Optional<Double> millis = firstCommitAfter(cluster, crash);
            millis.ifPresent(failoverMillis::add);
            System.out.printf("crash %d: leader %s closed; a new command committed %s after the close began%n",
                    i + 1, leader.nodeId(), millis.map(m -> String.format("%.0f ms", m)).orElse("never (timed out)"));
            cluster.restart(leader.nodeId());
        }
        if (settings.crashFailovers() > 0) {
            System.out.println("crash failover: " + failoverMillis.summary());
        }
    }

    /** Submits a command again and again until one commits; the milliseconds from {@code since} to that commit. */
    private static Optional<Double> firstCommitAfter(StabilityCluster cluster, long since) {
        byte[] command = "failover-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        while (System.nanoTime() - since < FAILOVER_TIMEOUT_NANOS) {
            Optional<RaftNode> leader = cluster.leader();
            if (leader.isPresent()) {
                try {
                    leader.get().submit(command).get(5, TimeUnit.SECONDS);
                    return Optional.of((System.nanoTime() - since) / 1e6);
                } catch (ExecutionException | TimeoutException e) {
                    // not committed by this leader: try again on whoever leads now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return Optional.empty();
    }

    private static void await(java.util.function.BooleanSupplier condition, long deadlineNanos, String what) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IllegalStateException("no " + what + " in time");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
