package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.ProposalDeadlinesBridge;
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

import java.util.concurrent.TimeUnit;

/**
 * The core's deadline of every local proposal ({@code ProposalDeadlines}, through {@link ProposalDeadlinesBridge}),
 * one thread, as a leader at {@value #IN_FLIGHT} commands in flight uses it: each operation tracks a new proposal,
 * settles the one {@value #IN_FLIGHT} proposals older (its entry committed) and reads the earliest deadline (the
 * event loop's next wake-up).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProposalDeadlinesBenchmark {

    static final int IN_FLIGHT = 1000;

    private ProposalDeadlinesBridge deadlines;
    private long next;

    @Setup(Level.Trial)
    public void fill() {
        deadlines = new ProposalDeadlinesBridge();
        next = 1L << 40; // ids as a node draws them: consecutive from a random start
        for (int i = 0; i < IN_FLIGHT; i++) {
            deadlines.add(next, next + 10_000);
            next++;
        }
    }

    /** One proposal tracked, one settled, the earliest deadline read. */
    @Benchmark
    public long trackSettleEarliest() {
        deadlines.add(next, next + 10_000);
        deadlines.settle(next - IN_FLIGHT);
        next++;
        return deadlines.earliest();
    }
}
