package io.raftbus.engine.simulation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many seeded random-fault runs of 3- and 5-node clusters: zero safety violations and liveness after healing; even
 * seeds run with snapshots ({@link RandomFaultScenario#sweepMode(long)}).
 * {@code -Dsim.seeds=N} sets how many (default 1,000); {@code -Dsim.firstSeed=S} where to start. A failure prints
 * the seed and a trace; reproduce it with {@code RandomFaultScenario.run(seed)}.
 */
class RandomFaultSimulationTest {

    @Test
    void randomFaultSeedsKeepEveryInvariant() throws InterruptedException {
        long count = Long.getLong("sim.seeds", 1000);
        long first = Long.getLong("sim.firstSeed", 1);
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        SeedSweep.Summary summary = SeedSweep.run(first, count, threads, done -> { });
        if (summary.failure() instanceof AssertionError e) {
            throw e;
        }
        if (summary.failure() != null) {
            throw new AssertionError(summary.failure());
        }
        System.out.printf("simulation: %d seeds from %d, %d entries committed, %d log errors survived, %.1f s;"
                + " %d seeds with snapshots: %s%n", count, first, summary.committed(), summary.logErrors(),
                summary.seconds(), summary.snapshotSeeds(), summary.snapshots());
        assertEquals(count, summary.seedsRun());
        assertTrue(summary.committed() > count, "the workload should commit entries, committed "
                + summary.committed());
        if (count >= 50) {
            assertTrue(summary.logErrors() > 0, "some seeds should run on failing logs");
            assertTrue(summary.snapshotSeeds() > 0 && summary.snapshots().installed() > 0,
                    "some seeds should run with snapshots and install some: " + summary.snapshots());
        }
    }
}
