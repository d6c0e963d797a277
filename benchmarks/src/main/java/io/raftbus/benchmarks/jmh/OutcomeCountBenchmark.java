package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.OutcomeCountsBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counting one submit's outcome, as the callback thread does for every completed future: the engine's
 * {@code OutcomeCounts} on its owner thread (a plain increment and an ordered store) and off it (a {@code LongAdder},
 * the path of other threads), beside a bare {@code LongAdder} (what {@code NodeMetrics} used for every outcome
 * before). One thread, uncontended: the score is the counting instruction itself; a cache line shared with another
 * thread's writes would cost the atomic paths more.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class OutcomeCountBenchmark {

    private final OutcomeCountsBridge onOwner = new OutcomeCountsBridge(true);
    private final OutcomeCountsBridge offOwner = new OutcomeCountsBridge(false);
    private final LongAdder adder = new LongAdder();

    @Benchmark
    public void ownerThread() {
        onOwner.countSuccess();
    }

    @Benchmark
    public void otherThread() {
        offOwner.countSuccess();
    }

    @Benchmark
    public void longAdderBefore() {
        adder.increment();
    }
}
