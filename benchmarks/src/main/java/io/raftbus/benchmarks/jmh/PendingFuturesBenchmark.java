package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.PendingFuturesBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event loop's futures by proposal id ({@code PendingFutures}, through {@link PendingFuturesBridge}), one
 * thread, as a leader at {@value #IN_FLIGHT} commands in flight uses it: each operation keeps the future of a new
 * proposal and takes the one {@value #IN_FLIGHT} proposals older (its command applied). Ids are consecutive from a
 * random start, as a node draws them; the futures are made once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PendingFuturesBenchmark {

    static final int IN_FLIGHT = 1000;

    private PendingFuturesBridge table;
    private CompletableFuture<byte[]>[] futures;
    private long next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void fill() {
        table = new PendingFuturesBridge();
        futures = (CompletableFuture<byte[]>[]) new CompletableFuture<?>[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            futures[i] = new CompletableFuture<>();
        }
        next = 0x2F3A_7C41_9B2DL;
        for (int i = 0; i < IN_FLIGHT; i++) {
            table.put(next, futures[(int) (next % IN_FLIGHT)]);
            next++;
        }
    }

    /** One future kept, the oldest taken. */
    @Benchmark
    public CompletableFuture<byte[]> putTake() {
        table.put(next, futures[(int) (next % IN_FLIGHT)]);
        next++;
        return table.remove(next - 1 - IN_FLIGHT);
    }
}
