package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.kafka.SendHandOffBridge;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Raft message over Kafka from the caller's {@code send} to the producer holding its record, one message at a
 * time: an AppendEntries with one 100-byte command, encoded ({@code MessageCodec}) and handed to a producer that takes
 * it at once ({@link SendHandOffBridge}). {@code direct}: on the caller's thread, as the transport's direct send does
 * (the event loop's cost per message); {@code throughLane}: offered to an outbound lane and waited for until the
 * lane's thread handed it over, as every message went before (the hand-off's latency, the lane thread's wake-up
 * included). Measures the transport's part of a hop only; the broker is not involved.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SendHandOffBenchmark {

    private SendHandOffBridge bridge;
    private AppendEntriesRequest append;

    @Setup(Level.Trial)
    public void start() {
        bridge = new SendHandOffBridge();
        append = new AppendEntriesRequest("c", "n1", "n2", 3, 41, 3,
                List.of(new LogEntry(42, 3, EntryType.COMMAND, new byte[100])), 41);
    }

    @TearDown(Level.Trial)
    public void stop() {
        bridge.close();
    }

    @Benchmark
    public boolean direct() {
        return bridge.direct(append);
    }

    @Benchmark
    public void throughLane() {
        bridge.throughLane(append);
    }
}
