package io.raftbus.engine.simulation;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs many {@link RandomFaultScenario} seeds in parallel and reports the first violation.
 *
 * <p>Usage: {@code java -cp raft-engine/target/classes:slf4j-api.jar io.raftbus.engine.simulation.LongRun
 * [firstSeed] [count] [threads]} (defaults: 1, 100000, available processors). Exits 1 on a violation.
 */
public final class LongRun {

    private LongRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        AtomicLong next = new AtomicLong(first);
        AtomicLong done = new AtomicLong();
        AtomicLong commits = new AtomicLong();
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
                        commits.addAndGet(result.committed());
                        logErrors.addAndGet(result.logErrors());
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    long d = done.incrementAndGet();
                    if (d % 5000 == 0) {
                        System.out.printf("%d seeds, %.0f s%n", d, (System.nanoTime() - start) / 1e9);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(365, TimeUnit.DAYS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            System.out.println("VIOLATION after " + done.get() + " seeds:");
            failure.get().printStackTrace(System.out);
            System.exit(1);
        }
        System.out.printf("%d seeds from %d, %d threads: no violation; %d entries committed; %d log errors"
                + " survived; %.1f s wall%n", count, first, threads, commits.get(), logErrors.get(), seconds);
    }
}
