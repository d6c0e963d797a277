package io.raftbus.engine.simulation;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many seeded random-fault runs of 3- and 5-node clusters: zero safety violations and liveness after healing.
 * {@code -Dsim.seeds=N} sets how many (default 1,000); {@code -Dsim.firstSeed=S} where to start. A failure prints
 * the seed and a trace; reproduce it with {@code RandomFaultScenario.run(seed)}.
 */
class RandomFaultSimulationTest {

    @Test
    void randomFaultSeedsKeepEveryInvariant() throws InterruptedException {
        long count = Long.getLong("sim.seeds", 1000);
        long first = Long.getLong("sim.firstSeed", 1);
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        AtomicLong next = new AtomicLong(first);
        AtomicLong committed = new AtomicLong();
        AtomicLong logErrors = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                long seed;
                while (failure.get() == null && (seed = next.getAndIncrement()) < first + count) {
                    try {
                        RandomFaultScenario.Result result = RandomFaultScenario.run(seed);
                        committed.addAndGet(result.committed());
                        logErrors.addAndGet(result.logErrors());
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.MINUTES), "simulation did not finish");
        if (failure.get() instanceof AssertionError e) {
            throw e;
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        System.out.printf("simulation: %d seeds from %d, %d entries committed, %d log errors survived, %.1f s%n",
                count, first, committed.get(), logErrors.get(), (System.nanoTime() - start) / 1e9);
        assertTrue(committed.get() > count, "the workload should commit entries, committed " + committed.get());
        if (count >= 50) {
            assertTrue(logErrors.get() > 0, "some seeds should run on failing logs");
        }
    }
}
