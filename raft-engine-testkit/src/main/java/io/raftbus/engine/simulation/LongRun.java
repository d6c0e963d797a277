package io.raftbus.engine.simulation;

import java.util.TreeMap;

/**
 * Runs many {@link RandomFaultScenario} seeds in parallel and reports the first violation.
 *
 * <p>Usage: {@code java -cp raft-engine/target/classes:raft-engine-testkit/target/classes:slf4j-api.jar
 * io.raftbus.engine.simulation.LongRun [firstSeed] [count] [threads] [membership]} (defaults: 1, 100000, available
 * processors). Even seeds run with snapshots, odd seeds without; reproduce one with
 * {@code RandomFaultScenario.run(seed, RandomFaultScenario.sweepMode(seed))}. With {@code membership}, every seed also
 * runs random membership changes; reproduce one with
 * {@code RandomFaultScenario.runWithMembershipChanges(seed, RandomFaultScenario.sweepMode(seed), false)}. Exits 1 on
 * a violation.
 */
public final class LongRun {

    private LongRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        boolean membership = args.length > 3 && args[3].equals("membership");
        long start = System.nanoTime();
        SeedSweep.Summary summary = SeedSweep.run(first, count, threads, membership,
                done -> System.out.printf("%d seeds, %.0f s%n", done, (System.nanoTime() - start) / 1e9));
        if (summary.failure() != null) {
            System.out.println("VIOLATION after " + summary.seedsRun() + " passing seeds:");
            summary.failure().printStackTrace(System.out);
            System.exit(1);
        }
        System.out.printf("%d seeds from %d, %d threads: no violation; %d entries committed; %d log errors"
                + " survived; %d leaders crashed between sending a batch and appending it; %.1f s wall%n", count,
                first, threads, summary.committed(), summary.logErrors(), summary.crashesBeforeAppend(),
                summary.seconds());
        System.out.println("proposal outcomes: " + new TreeMap<>(summary.outcomes()));
        System.out.println(summary.snapshotSeeds() + " seeds with snapshots: " + summary.snapshots());
        if (membership) {
            MembershipStats c = summary.changes();
            System.out.printf("membership changes: %s; %.2f configurations committed per seed%n", c,
                    (double) c.committedConfigs() / count);
        }
    }
}
