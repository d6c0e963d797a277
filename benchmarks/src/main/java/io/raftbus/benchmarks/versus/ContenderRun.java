package io.raftbus.benchmarks.versus;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One library's turn in a round: starts a fresh cluster, runs every workload on it in a fixed order, closes it, and
 * returns one value per {@link Metric}. The order: retained heap after {@code retainedCommands} successful
 * commands (which also warms the command path), commands at {@code inFlight}, linearizable reads at {@code inFlight},
 * one command at a time (the caller woken by a callback, then blocked in {@code join()}), then the idle cluster;
 * then, on a second fresh cluster at MicroRaft's default heartbeat and snapshot periods
 * ({@link Contender#startAtMicroRaftSettings()}), retained heap and idle CPU again.
 */
final class ContenderRun {

    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    /** Runs of the fill workload to reach its count of successful commands. */
    private static final int FILL_ATTEMPTS = 5;
    /** How long a closed cluster's threads may take to end before the run goes on without them. */
    private static final Duration THREADS_END_TIMEOUT = Duration.ofSeconds(30);
    /** Quiet time before the idle window, so the last workload's completions and GC are over. */
    private static final long IDLE_SETTLE_MILLIS = 1000;

    private final WorkloadSettings settings;
    private final ResourceMeter meter;
    private final Map<Contender, Long> failures = new EnumMap<>(Contender.class);

    ContenderRun(WorkloadSettings settings, ResourceMeter meter) {
        this.settings = settings;
        this.meter = meter;
    }

    /** Measures {@code contender}; prints any failed operation, which a healthy run has none of. */
    Map<Metric, Double> measure(Contender contender) throws InterruptedException, TimeoutException {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        try (ClusterUnderTest cluster = contender.start()) {
            cluster.awaitLeader(LEADER_TIMEOUT);
            ClosedLoop commands = new ClosedLoop(cluster::submit, settings.inFlight(), meter);
            ClosedLoop reads = new ClosedLoop(cluster::read, settings.inFlight(), meter);
            ClosedLoop oneCommand = new ClosedLoop(cluster::submit, 1, meter);

            long heapBefore = meter.heapAfterGc();
            fill(contender, cluster, commands);
            values.put(Metric.RETAINED_HEAP, (meter.heapAfterGc() - heapBefore) / (1024.0 * 1024.0));

            LoopResult throughput = timed(commands);
            afterWorkload(contender, "commands", throughput, cluster);
            values.put(Metric.COMMANDS_PER_SECOND, throughput.perSecond());
            values.put(Metric.CPU_PER_COMMAND, throughput.window().processCpuNanos() / 1e3 / throughput.completed());
            values.put(Metric.ALLOCATION_PER_COMMAND,
                    (double) throughput.window().allocatedBytes() / throughput.completed());

            LoopResult readResult = timed(reads);
            afterWorkload(contender, "reads", readResult, cluster);
            values.put(Metric.READS_PER_SECOND, readResult.perSecond());

            LoopResult latency = timed(oneCommand);
            afterWorkload(contender, "one at a time", latency, cluster);
            values.put(Metric.P50_ONE_AT_A_TIME, latency.latencyMicros(0.50));
            values.put(Metric.P99_ONE_AT_A_TIME, latency.latencyMicros(0.99));

            JoinedLoop joined = new JoinedLoop(cluster::submit, meter);
            joined.runFor(settings.warmUpSeconds());
            LoopResult joinedLatency = joined.runFor(settings.seconds());
            afterWorkload(contender, "one at a time, joined", joinedLatency, cluster);
            values.put(Metric.P50_ONE_AT_A_TIME_JOINED, joinedLatency.latencyMicros(0.50));
            values.put(Metric.P99_ONE_AT_A_TIME_JOINED, joinedLatency.latencyMicros(0.99));

            values.put(Metric.IDLE_CPU, idleCpu());
        }
        awaitThreadsEnded(contender);
        try (ClusterUnderTest cluster = contender.startAtMicroRaftSettings()) {
            cluster.awaitLeader(LEADER_TIMEOUT);
            long heapBefore = meter.heapAfterGc();
            fill(contender, cluster, new ClosedLoop(cluster::submit, settings.inFlight(), meter));
            values.put(Metric.RETAINED_HEAP_EQUAL_SNAPSHOTS, (meter.heapAfterGc() - heapBefore) / (1024.0 * 1024.0));
            values.put(Metric.IDLE_CPU_EQUAL_HEARTBEAT, idleCpu());
        }
        awaitThreadsEnded(contender);
        return values;
    }

    /** CPU % of one core the live Java threads use over the idle window, after {@link #IDLE_SETTLE_MILLIS}. */
    private double idleCpu() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(IDLE_SETTLE_MILLIS);
        ResourceMeter.Usage idleStart = meter.read();
        TimeUnit.NANOSECONDS.sleep((long) (settings.idleSeconds() * 1e9));
        ResourceMeter.Usage idle = meter.read().minus(idleStart);
        return 100.0 * idle.javaThreadsCpuNanos() / idle.wallNanos();
    }

    /**
     * Waits until the closed cluster's threads have ended, so that what they still hold is not counted in the next
     * cluster's heap before-figure (MicroRaft's default executor runs its already scheduled timers after
     * {@code terminate()}, seconds later).
     */
    private static void awaitThreadsEnded(Contender contender) {
        long deadline = System.nanoTime() + THREADS_END_TIMEOUT.toNanos();
        List<String> alive = aliveThreads(contender);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            alive = aliveThreads(contender);
        }
        if (!alive.isEmpty()) {
            System.out.printf("  %s: threads %s still alive %s s after close%n", contender.label(), alive,
                    THREADS_END_TIMEOUT.toSeconds());
        }
    }

    private static List<String> aliveThreads(Contender contender) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(contender.threadNamePrefix())).sorted().toList();
    }

    /**
     * Runs {@code retainedCommands} commands that succeed: what failed (a leader change) is made up for, a few
     * times at most.
     */
    private void fill(Contender contender, ClusterUnderTest cluster, ClosedLoop commands)
            throws InterruptedException, TimeoutException {
        long missing = settings.retainedCommands();
        for (int attempt = 0; attempt < FILL_ATTEMPTS && missing > 0; attempt++) {
            LoopResult fill = commands.runCount(missing);
            afterWorkload(contender, "fill", fill, cluster);
            missing = fill.failed();
        }
        if (missing > 0) {
            System.out.printf("  %s, fill: %,d commands short after %d attempts%n", contender.label(), missing,
                    FILL_ATTEMPTS);
        }
    }

    private LoopResult timed(ClosedLoop loop) throws InterruptedException, TimeoutException {
        loop.runFor(settings.warmUpSeconds());
        return loop.runFor(settings.seconds());
    }

    /** Operations that failed so far, per library, over every workload and round (a healthy run has none). */
    Map<Contender, Long> failures() {
        return Map.copyOf(failures);
    }

    /**
     * Counts and prints the workload's failures and, if the leader changed during it, says so and aims the next
     * workloads at the new leader.
     */
    private void afterWorkload(Contender contender, String workload, LoopResult result, ClusterUnderTest cluster)
            throws InterruptedException, TimeoutException {
        failures.merge(contender, result.failed(), Long::sum);
        if (result.failed() > 0) {
            System.out.printf("  %s, %s: %,d operations failed: %s%n", contender.label(), workload, result.failed(),
                    result.failedByCause());
        }
        String before = cluster.leaderAndTerm();
        cluster.awaitLeader(LEADER_TIMEOUT);
        if (!before.equals(cluster.leaderAndTerm())) {
            System.out.printf("  %s, %s: the leader changed from %s to %s%n", contender.label(), workload, before,
                    cluster.leaderAndTerm());
        }
    }
}
