package io.raftbus.benchmarks.versus;

import java.time.Duration;
import java.util.Locale;

/**
 * A profiling target: one library's cluster alone under the commands workload of {@link SideBySideBenchmark}
 * ({@code inFlight} commands outstanding) for a fixed window, after a warm-up, so a flight recording of the JVM
 * shows that library's hot path and nothing else.
 */
final class CommandLoad {

    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    private CommandLoad() {
    }

    /** Runs {@code contenderName} ({@code raftbus} or {@code microraft}) and prints what it did. */
    static void run(String contenderName, WorkloadSettings settings) throws Exception {
        Contender contender = Contender.valueOf(contenderName.trim().toUpperCase(Locale.ROOT));
        ResourceMeter meter = new ResourceMeter();
        try (ClusterUnderTest cluster = contender.start()) {
            cluster.awaitLeader(LEADER_TIMEOUT);
            ClosedLoop commands = new ClosedLoop(cluster::submit, settings.inFlight(), meter);
            commands.runFor(settings.warmUpSeconds());
            System.out.printf("%s: load begins (%s s, %d in flight)%n", contender.label(), settings.seconds(),
                    settings.inFlight());
            String leaderBefore = cluster.leaderAndTerm();
            LoopResult result = commands.runFor(settings.seconds());
            cluster.awaitLeader(LEADER_TIMEOUT);
            System.out.printf("%s: leader %s before the load, %s after it%n", contender.label(), leaderBefore,
                    cluster.leaderAndTerm());
            System.out.printf("%s: %,.0f commands/s, %.2f µs process CPU per command, %,.0f bytes per command,"
                            + " failed: %s%n", contender.label(), result.perSecond(),
                    result.window().processCpuNanos() / 1e3 / result.completed(),
                    (double) result.window().allocatedBytes() / result.completed(), result.failedByCause());
        }
    }
}
