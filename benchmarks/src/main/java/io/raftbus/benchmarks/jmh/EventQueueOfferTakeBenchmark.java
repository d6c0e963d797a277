package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.EventQueueBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * What one submit costs the engine's {@code EventQueue}, caller's offer plus loop's take, on one thread: a burst of
 * {@value #BURST} new submits offered, then taken, as a leader's loop takes what queued while it was busy. One
 * thread, so the score is the queue's own work (allocation per submit with {@code -prof gc}, the submit itself
 * included) without the 2-core hand-off's swings ({@link EventQueueHandOffBenchmark}); the cache-line transfers
 * between a caller's core and the loop's are not in it. Run it against the engine before and after a change of the
 * queue.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class EventQueueOfferTakeBenchmark {

    static final int BURST = 64;

    private final EventQueueBridge queue = new EventQueueBridge(10_000);

    @Benchmark
    @OperationsPerInvocation(BURST)
    public void offerThenTake(Blackhole blackhole) {
        for (int i = 0; i < BURST; i++) {
            blackhole.consume(queue.offerSubmit());
        }
        for (int i = 0; i < BURST; i++) {
            blackhole.consume(queue.poll());
        }
    }
}
