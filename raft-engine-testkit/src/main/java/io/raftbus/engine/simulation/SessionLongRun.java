package io.raftbus.engine.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs many {@link SessionScenario} seeds in parallel and reports the first violation.
 *
 * <p>Usage: {@code java -cp raft-engine/target/classes:raft-engine-testkit/target/classes:slf4j-api.jar
 * io.raftbus.engine.simulation.SessionLongRun [firstSeed] [count] [threads]} (defaults: 1, 10000, available
 * processors). Even seeds run with snapshots. Reproduce one with {@code SessionScenario.run(seed)}. Exits 1 on a
 * violation.
 */
public final class SessionLongRun {

    private SessionLongRun() {
    }

    public static void main(String[] args) throws Exception {
        long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong(first);
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // answered, retries, expired/evicted, registrations, committed, seeds that expired, closes, cap refusals
        long[] totals = new long[8];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                long seed;
                while (failure.get() == null && (seed = next.getAndIncrement()) < first + count) {
                    try {
                        SessionScenario.Result r = SessionScenario.run(seed);
                        synchronized (totals) {
                            totals[0] += r.answered();
                            totals[1] += r.retries();
                            totals[2] += r.expiredSessions();
                            totals[3] += r.registrations();
                            totals[4] += r.committed();
                            totals[5] += r.expiredSessions() > 0 ? 1 : 0;
                            totals[6] += r.closes();
                            totals[7] += r.refusals();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, new RuntimeException("seed " + seed, e));
                    }
                    long d = done.incrementAndGet();
                    if (d % 1_000 == 0) {
                        System.out.printf("%d seeds, %.0f s%n", d, (System.nanoTime() - start) / 1e9);
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        if (failure.get() != null) {
            System.out.println("VIOLATION after " + done.get() + " seeds:");
            failure.get().printStackTrace(System.out);
            System.exit(1);
        }
        System.out.printf("%d session seeds from %d, %d threads: no violation; %.1f s wall%n", count, first, threads,
                (System.nanoTime() - start) / 1e9);
        System.out.printf("answers %d, retries %d, sessions expired or evicted %d (in %d seeds), registrations %d,"
                + " closes %d, refused by the held-results cap %d, entries committed %d%n", totals[0], totals[1],
                totals[2], totals[5], totals[3], totals[6], totals[7], totals[4]);
    }
}
