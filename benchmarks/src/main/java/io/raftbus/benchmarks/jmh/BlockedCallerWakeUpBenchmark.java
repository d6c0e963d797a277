package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.BlockedCallerBridge;
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
 * One command at a time from a caller blocked in {@code join()}, through a stand-in event loop with no protocol
 * ({@code BlockedCallerBridge}): the caller queues a submit on the engine's {@code EventQueue}, the loop takes it and
 * hands its outcome over, the caller wakes. {@code direct=false}: through the callback thread, as before the
 * eleventh increment of issue 12 (three thread hand-offs: caller → loop → callback thread → caller);
 * {@code direct=true}: the loop hands the outcome to the blocked caller (two). One operation is one command; the
 * difference between the rows is the callback thread's hop. {@code submitAndAwaitStage}: the caller chains
 * {@code whenComplete}, which wakes it, instead of blocking (no blocked caller: {@code direct} changes nothing);
 * with {@code -p onLoop=false,true} the loop also completes the future itself, as with
 * {@code RaftConfig.completeOnEventLoop} (two hand-offs instead of three).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BlockedCallerWakeUpBenchmark {

    @Param({"false", "true"})
    public boolean direct;

    @Param({"false"})
    public boolean onLoop;

    private BlockedCallerBridge bridge;

    @Setup(Level.Trial)
    public void start() {
        bridge = new BlockedCallerBridge(direct, onLoop);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        bridge.close();
    }

    @Benchmark
    public byte[] submitAndJoin() {
        return bridge.submitAndJoin();
    }

    @Benchmark
    public boolean submitAndAwaitStage() {
        return bridge.submitAndAwaitStage();
    }
}
