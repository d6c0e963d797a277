package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.ChainedCallerBridge;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One command at a time from a caller that chains {@code whenComplete} (which wakes it) instead of blocking in
 * {@code join()}, through a stand-in event loop with no protocol ({@code ChainedCallerBridge}): the caller queues a
 * submit on the engine's {@code EventQueue}, the loop takes it and completes its future. {@code onLoop=false}:
 * through the callback thread, raftbus's default (three thread hand-offs: caller → loop → callback thread →
 * caller); {@code onLoop=true}: on the loop itself, as with {@code RaftConfig.completeOnEventLoop} (two). One
 * operation is one command; the difference between the rows is the callback thread's hop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChainedCallerWakeUpBenchmark {

    @Param({"false", "true"})
    public boolean onLoop;

    private ChainedCallerBridge bridge;

    @Setup(Level.Trial)
    public void start() {
        bridge = new ChainedCallerBridge(onLoop);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        bridge.close();
    }

    @Benchmark
    public boolean submitAndAwaitStage() {
        return bridge.submitAndAwaitStage();
    }
}
