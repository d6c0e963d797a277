package io.raftbus.benchmarks.versus;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Issues 100-byte operations (each one distinct) one at a time, the caller blocked in {@link CompletableFuture#join()}
 * until each completes: the synchronous client ({@code submit(x).join()}), next to {@link ClosedLoop}'s
 * one-at-a-time workload, whose caller is woken by a {@code whenComplete} callback. Both libraries run the same code.
 */
final class JoinedLoop {

    private final Function<byte[], CompletableFuture<?>> operation;
    private final ResourceMeter meter;

    JoinedLoop(Function<byte[], CompletableFuture<?>> operation, ResourceMeter meter) {
        this.operation = operation;
        this.meter = meter;
    }

    /** Runs for {@code seconds}; latency is from the call to {@code join} returning, per successful operation. */
    LoopResult runFor(double seconds) {
        long[] latencies = new long[1 << 16];
        int size = 0;
        Map<String, Long> failures = new HashMap<>();
        byte[] payload = new byte[ClosedLoop.OPERATION_BYTES];
        ResourceMeter.Usage start = meter.read();
        long end = start.wallNanos() + (long) (seconds * 1e9);
        for (long sequence = 0; System.nanoTime() < end; sequence++) {
            byte[] operationBytes = payload.clone();
            for (int i = 0; i < 8; i++) {
                operationBytes[i] = (byte) (sequence >>> (8 * i));
            }
            long submitted = System.nanoTime();
            try {
                operation.apply(operationBytes).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failures.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
                continue;
            }
            long done = System.nanoTime();
            if (done <= end) {
                if (size == latencies.length) {
                    latencies = Arrays.copyOf(latencies, size * 2);
                }
                latencies[size++] = done - submitted;
            }
        }
        ResourceMeter.Usage window = meter.read().minus(start);
        long[] sorted = Arrays.copyOf(latencies, size);
        Arrays.sort(sorted);
        return new LoopResult(size, Map.copyOf(failures), window, sorted);
    }
}
