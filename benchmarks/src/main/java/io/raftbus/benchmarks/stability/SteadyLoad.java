package io.raftbus.benchmarks.stability;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RetriableCommandException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop command load: a fixed number of 16-byte commands per second, each submitted to the current leader
 * (or, while none is known, any node), whatever happened to the previous ones. Records the latency of each command
 * that completes, and counts failures by meaning: certainly not applied ({@link RetriableCommandException}) or
 * outcome unknown ({@link CommandOutcomeUnknownException}, including the node's command timeout).
 */
final class SteadyLoad implements AutoCloseable {

    private final StabilityCluster cluster;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stability-load");
        t.setDaemon(true);
        return t;
    });
    private final Samples latencyMillis = new Samples();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong notApplied = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong otherFailures = new AtomicLong();
    private final java.util.Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    SteadyLoad(StabilityCluster cluster, double commandsPerSecond) {
        this.cluster = cluster;
        long periodNanos = (long) (1e9 / commandsPerSecond);
        timer.scheduleAtFixedRate(this::submitOne, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    private void submitOne() {
        long sequence = submitted.incrementAndGet();
        byte[] command = String.format("cmd-%011d", sequence).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        CompletableFuture<byte[]> future;
        try {
            future = cluster.target().submit(command);
        } catch (RuntimeException e) {
            otherFailures.incrementAndGet();
            return;
        }
        pending.add(future);
        future.whenComplete((result, error) -> {
            pending.remove(future);
            if (error == null) {
                latencyMillis.add((System.nanoTime() - start) / 1e6);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof RetriableCommandException) {
                notApplied.incrementAndGet();
            } else if (cause instanceof CommandOutcomeUnknownException) {
                unknown.incrementAndGet();
            } else {
                otherFailures.incrementAndGet();
            }
        });
    }

    /** Stops submitting and waits (at most {@code maxWaitMillis}) for the outcomes of commands in flight. */
    void stopAndDrain(long maxWaitMillis) {
        timer.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    Samples latencyMillis() {
        return latencyMillis;
    }

    long submitted() {
        return submitted.get();
    }

    long notApplied() {
        return notApplied.get();
    }

    long unknown() {
        return unknown.get();
    }

    long otherFailures() {
        return otherFailures.get();
    }

    long stillPending() {
        return pending.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
