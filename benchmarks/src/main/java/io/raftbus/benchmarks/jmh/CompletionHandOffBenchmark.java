package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.CompletionHandOffBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event loop's side of completing a command, one thread, no executor: the future of a proposal is kept by id
 * when the core takes it and found again when its entry is applied ({@code window} outstanding), its completion
 * collected, and every {@code batch} completions the collection is handed over and run (here, on the same thread).
 * One operation is one command. Compares the loop before the third increment of issue 12 ({@code HashMap} with
 * boxed ids, a lambda per completion, a list copy per hand-over) with the engine's {@code PendingFutures} and
 * {@code CompletionBatch}. The futures are reused (completing a completed one does nothing), so neither side pays
 * for them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompletionHandOffBenchmark {

    private static final byte[] RESULT = new byte[0];

    @Param({"1000"})
    public int window;

    @Param({"100"})
    public int batch;

    private CompletableFuture<byte[]>[] futures;
    private Map<Long, CompletableFuture<byte[]>> hashMap;
    private List<Runnable> completions;
    private CompletionHandOffBridge engine;
    private long next;
    private int inBatch;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void fill() {
        futures = (CompletableFuture<byte[]>[]) new CompletableFuture<?>[window];
        hashMap = new HashMap<>();
        completions = new ArrayList<>();
        engine = new CompletionHandOffBridge();
        for (int i = 0; i < window; i++) {
            futures[i] = new CompletableFuture<>();
        }
        for (next = 1; next <= window; next++) {
            hashMap.put(next, futures[(int) (next % window)]);
            engine.put(next, futures[(int) (next % window)]);
        }
    }

    /** Before: {@code HashMap<Long, CompletableFuture>}, a lambda per completion, {@code List.copyOf} per batch. */
    @Benchmark
    public int hashMapAndLambdas() {
        long id = next++;
        hashMap.put(id, futures[(int) (id % window)]);
        CompletableFuture<byte[]> future = hashMap.remove(id - window);
        if (future != null) {
            completions.add(() -> future.complete(RESULT));
        }
        if (++inBatch == batch) {
            inBatch = 0;
            List<Runnable> handed = List.copyOf(completions);
            completions.clear();
            for (Runnable task : handed) {
                task.run();
            }
            return handed.size();
        }
        return 0;
    }

    /** The engine's {@code PendingFutures} and {@code CompletionBatch}. */
    @Benchmark
    public int engineTableAndBatch() {
        long id = next++;
        engine.put(id, futures[(int) (id % window)]);
        engine.complete(id - window, RESULT);
        if (++inBatch == batch) {
            inBatch = 0;
            engine.flush();
            return 1;
        }
        return 0;
    }
}
