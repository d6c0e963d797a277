package io.raftbus.engine.simulation;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Runs a range of {@link RandomFaultScenario} seeds on several threads, stopping at the first failure: even seeds with
 * snapshots, odd seeds without ({@link RandomFaultScenario#sweepMode(long)}), and with random membership changes if
 * asked ({@link RandomFaultScenario#runWithMembershipChanges}). Each seed is deterministic on its own, so the outcome
 * does not depend on the thread count.
 */
public final class SeedSweep {

    private SeedSweep() {
    }

    /**
     * What a sweep found.
     *
     * @param seedsRun seeds run to completion (all of them, unless one failed)
     * @param committed entries committed over all seeds
     * @param logErrors simulated LogAPI failures the clusters survived
     * @param outcomes what became of the proposals, summed over all seeds (see {@link Simulation#outcomeCounts()})
     * @param seconds wall time
     * @param failure the first failure (an {@link InvariantViolation} naming its seed), or null
     * @param snapshotSeeds seeds run with snapshots
     * @param snapshots what the nodes did with snapshots, summed over all seeds (see {@link Simulation#snapshotStats()})
     * @param changes what the membership changes did, summed over all seeds (all zero without them)
     * @param crashesBeforeAppend leaders crashed between sending a batch ahead and appending it, over all seeds
     */
    public record Summary(long seedsRun, long committed, long logErrors, Map<String, Long> outcomes, double seconds,
                          Throwable failure, long snapshotSeeds, Simulation.SnapshotStats snapshots,
                          MembershipStats changes, long crashesBeforeAppend) {
    }

    /**
     * Runs seeds {@code first} to {@code first + count - 1}.
     *
     * @param progress called with the number of seeds done after every 5,000 (may be a no-op)
     */
    public static Summary run(long first, long count, int threads, LongConsumer progress)
            throws InterruptedException {
        return run(first, count, threads, false, progress);
    }

    /**
     * Runs seeds {@code first} to {@code first + count - 1}, each with random membership changes if
     * {@code membershipChanges}.
     *
     * @param progress called with the number of seeds done after every 5,000 (may be a no-op)
     */
    public static Summary run(long first, long count, int threads, boolean membershipChanges, LongConsumer progress)
            throws InterruptedException {
        AtomicLong next = new AtomicLong(first);
        AtomicLong done = new AtomicLong();
        AtomicLong committed = new AtomicLong();
        AtomicLong logErrors = new AtomicLong();
        AtomicLong crashesBeforeAppend = new AtomicLong();
        Map<String, Long> outcomes = new ConcurrentSkipListMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong snapshotSeeds = new AtomicLong();
        AtomicReference<MembershipStats> changes = new AtomicReference<>(MembershipStats.NONE);
        AtomicLong[] stats = new AtomicLong[7];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new AtomicLong();
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                long seed;
                while (failure.get() == null && (seed = next.getAndIncrement()) < first + count) {
                    try {
                        RandomFaultScenario.Snapshots mode = RandomFaultScenario.sweepMode(seed);
                        RandomFaultScenario.SnapshotResult run;
                        if (membershipChanges) {
                            RandomFaultScenario.MembershipResult m =
                                    RandomFaultScenario.runWithMembershipChanges(seed, mode, false);
                            run = m.run();
                            changes.accumulateAndGet(m.changes(), MembershipStats::plus);
                        } else {
                            run = RandomFaultScenario.run(seed, mode);
                        }
                        RandomFaultScenario.Result result = run.result();
                        if (mode == RandomFaultScenario.Snapshots.ON) {
                            snapshotSeeds.incrementAndGet();
                            Simulation.SnapshotStats s = run.snapshots();
                            long[] values = {s.taken(), s.writeFailures(), s.lostInCrash(), s.installed(),
                                    s.restoredAtStart(), s.chunksSent(), s.chunkBytesSent()};
                            for (int i = 0; i < values.length; i++) {
                                stats[i].addAndGet(values[i]);
                            }
                        }
                        committed.addAndGet(result.committed());
                        logErrors.addAndGet(result.logErrors());
                        crashesBeforeAppend.addAndGet(result.crashesBeforeAppend());
                        result.outcomes().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
                        long d = done.incrementAndGet();
                        if (d % 5000 == 0) {
                            progress.accept(d);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(365, TimeUnit.DAYS)) {
            throw new IllegalStateException("seed sweep did not finish");
        }
        return new Summary(done.get(), committed.get(), logErrors.get(), Map.copyOf(outcomes),
                (System.nanoTime() - start) / 1e9, failure.get(), snapshotSeeds.get(),
                new Simulation.SnapshotStats(stats[0].get(), stats[1].get(), stats[2].get(), stats[3].get(),
                        stats[4].get(), stats[5].get(), stats[6].get()), changes.get(), crashesBeforeAppend.get());
    }
}
