package io.raftbus.benchmarks;

import io.raftbus.engine.RaftNode;

import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submits 100-byte commands to one node, keeping at most {@code inFlight} outstanding (closed loop: a new submit
 * waits for a permit that a completion gives back), for a fixed wall-clock window, and records each command's
 * submit-to-complete latency.
 */
public final class LoadDriver {

    public static final int COMMAND_BYTES = 100;

    private final RaftNode node;
    private final int inFlight;
    private final boolean reads;

    public LoadDriver(RaftNode node, int inFlight) {
        this(node, inFlight, false);
    }

    /** @param reads issue linearizable reads ({@link RaftNode#read}) instead of commands */
    LoadDriver(RaftNode node, int inFlight, boolean reads) {
        this.node = node;
        this.inFlight = inFlight;
        this.reads = reads;
    }

    /** Runs one round of {@code seconds}, then waits (up to 30 s) for the commands still in flight. */
    public RoundResult run(double seconds) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        LatencyRecorder latencies = new LatencyRecorder();
        AtomicLong completedInWindow = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        byte[] command = new byte[COMMAND_BYTES];
        long termBefore = node.status().term();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long sequence = 0;
        while (true) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0 || !permits.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                break;
            }
            long payloadTag = sequence++;
            for (int i = 0; i < 8; i++) { // distinct commands, so nothing can be deduplicated by accident
                command[i] = (byte) (payloadTag >>> (8 * i));
            }
            long submitted = System.nanoTime();
            (reads ? node.read(command) : node.submit(command)).whenComplete((result, error) -> {
                long done = System.nanoTime();
                if (error == null) {
                    latencies.record(done - submitted);
                    if (done <= end) {
                        completedInWindow.incrementAndGet();
                    }
                } else {
                    failed.incrementAndGet();
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(inFlight - permits.availablePermits()
                    + " commands still outstanding 30 s after the round on " + node);
        }
        long[] sorted = latencies.sorted();
        return new RoundResult(completedInWindow.get() / seconds, percentile(sorted, 0.50) / 1e3,
                percentile(sorted, 0.99) / 1e3, sorted.length, failed.get(), node.status().term() != termBefore);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** Latencies in nanoseconds, appended from the node's callback thread. */
    private static final class LatencyRecorder {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void record(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
