package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.EventQueueBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;

/**
 * The submit hand-off between a caller and the event loop, on the engine's {@code EventQueue}: one producer thread
 * offers submits (spinning while 10,000 are queued: the node's default {@code maxPendingCommands}), one consumer
 * thread takes them (spinning while none is), both at full speed, as the versus harness's driver and a busy leader
 * loop. Each side's score is the hand-off rate; run it against the engine before and after a change of the queue.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventQueueHandOffBenchmark {

    private final EventQueueBridge queue = new EventQueueBridge(10_000);

    @Benchmark
    @Group("submits")
    @GroupThreads(1)
    public void offer(Control control) {
        while (!queue.offerSubmit() && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("submits")
    @GroupThreads(1)
    public void take(Control control, Blackhole blackhole) {
        Object event;
        while ((event = queue.poll()) == null && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
        blackhole.consume(event);
    }
}
