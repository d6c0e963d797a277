package io.raftbus.benchmarks.versus;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Issues 100-byte operations (each one distinct) keeping at most {@code inFlight} outstanding: a new one waits for a
 * permit that a completion gives back. Runs either for a wall-clock window or for a fixed count, then waits for the
 * operations still outstanding.
 */
final class ClosedLoop {

    static final int OPERATION_BYTES = 100;
    /** How long the operations outstanding at the end of a run may take to complete before the run fails. */
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final Function<byte[], CompletableFuture<?>> operation;
    private final int inFlight;
    private final ResourceMeter meter;

    ClosedLoop(Function<byte[], CompletableFuture<?>> operation, int inFlight, ResourceMeter meter) {
        this.operation = operation;
        this.inFlight = inFlight;
        this.meter = meter;
    }

    /** Runs for {@code seconds}; counts the operations completed inside the window. */
    LoopResult runFor(double seconds) throws InterruptedException, TimeoutException {
        return run(Long.MAX_VALUE, (long) (seconds * 1e9));
    }

    /** Runs exactly {@code count} operations; the window ends when the last completes. */
    LoopResult runCount(long count) throws InterruptedException, TimeoutException {
        return run(count, Long.MAX_VALUE);
    }

    private LoopResult run(long count, long windowNanos) throws InterruptedException, TimeoutException {
        Semaphore permits = new Semaphore(inFlight);
        Latencies latencies = new Latencies();
        AtomicLong completedInWindow = new AtomicLong();
        Failures failures = new Failures();
        byte[] payload = new byte[OPERATION_BYTES];
        ResourceMeter.Usage start = meter.read();
        long end = windowNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start.wallNanos() + windowNanos;
        for (long sequence = 0; sequence < count; sequence++) {
            long remaining = end - System.nanoTime();
            if (remaining <= 0 || !permits.tryAcquire(Math.min(remaining, TimeUnit.SECONDS.toNanos(60)),
                    TimeUnit.NANOSECONDS)) {
                if (end == Long.MAX_VALUE) {
                    throw new TimeoutException("no operation completed for 60 s with " + inFlight + " in flight");
                }
                break;
            }
            byte[] operationBytes = payload.clone();
            for (int i = 0; i < 8; i++) {
                operationBytes[i] = (byte) (sequence >>> (8 * i));
            }
            long submitted = System.nanoTime();
            operation.apply(operationBytes).whenComplete((result, error) -> {
                long done = System.nanoTime();
                if (error == null) {
                    latencies.record(done - submitted);
                    if (done <= end) {
                        completedInWindow.incrementAndGet();
                    }
                } else {
                    failures.record(error);
                }
                permits.release();
            });
        }
        ResourceMeter.Usage windowEnd = end == Long.MAX_VALUE ? null : meter.read();
        if (!permits.tryAcquire(inFlight, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException((inFlight - permits.availablePermits()) + " operations still outstanding "
                    + DRAIN_TIMEOUT_SECONDS + " s after the run");
        }
        if (windowEnd == null) {
            windowEnd = meter.read();
        }
        return new LoopResult(completedInWindow.get(), failures.byCause(), windowEnd.minus(start),
                latencies.sorted());
    }

    /** Failed operations counted by the class of their cause, from whichever thread completes the futures. */
    private static final class Failures {
        private final Map<String, Long> byCause = new TreeMap<>();

        synchronized void record(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            byCause.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
        }

        synchronized Map<String, Long> byCause() {
            return Map.copyOf(byCause);
        }
    }

    /** Latencies in nanoseconds, appended from whichever thread completes the futures. */
    private static final class Latencies {
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
