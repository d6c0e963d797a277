package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.CompletionBatchReuseBridge;
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

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event loop's completion batches when the callback thread sometimes still holds earlier ones at a hand-over,
 * as at 1,000 commands in flight: one operation is one command's completion added to the batch; a batch is handed
 * over after a number of completions drawn around {@code meanBatch} (from 1 to twice it, seeded), as iterations
 * vary under load, and the callback thread has caught up (run every batch handed over) at {@code caughtUpPercent}
 * of the hand-overs (seeded draws; 100: always, the spare is always back). Measures what {@code CompletionBatch.next} costs when it must make a new
 * batch (its arrays regrown by {@code Arrays.copyOf}) against reusing one. The futures are completed once and reused
 * (completing a completed one does nothing), so the futures themselves cost nothing here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompletionBatchReuseBenchmark {

    private static final byte[] RESULT = new byte[0];
    private static final int SIZES = 1 << 12;

    @Param({"100", "50"})
    public int caughtUpPercent;

    @Param({"200"})
    public int meanBatch;

    private CompletionBatchReuseBridge bridge;
    private CompletableFuture<byte[]>[] futures;
    private int[] sizes;
    private boolean[] caughtUp;
    private int nextSize;
    private int inBatch;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        bridge = new CompletionBatchReuseBridge();
        futures = (CompletableFuture<byte[]>[]) new CompletableFuture<?>[1024];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = CompletableFuture.completedFuture(RESULT);
        }
        SplittableRandom random = new SplittableRandom(12);
        sizes = new int[SIZES];
        caughtUp = new boolean[SIZES];
        for (int i = 0; i < SIZES; i++) {
            sizes[i] = 1 + random.nextInt(2 * meanBatch);
            caughtUp[i] = random.nextInt(100) < caughtUpPercent;
        }
    }

    @Benchmark
    public int completeAndHandOver() {
        bridge.complete(futures[next++ & (futures.length - 1)], RESULT);
        if (++inBatch >= sizes[nextSize]) {
            inBatch = 0;
            bridge.flush(caughtUp[nextSize]);
            nextSize = (nextSize + 1) & (SIZES - 1);
            return 1;
        }
        return 0;
    }
}
