package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.PendingProposalsBridge;
import io.raftbus.engine.core.Waiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The engine's waiters by log index ({@code PendingProposals}, through {@link PendingProposalsBridge}), one thread,
 * as a leader uses them: a group commit of {@value #BATCH} local waiters added at new indexes, then the waiters of
 * {@value #BATCH} committed indexes taken. {@code steady}: {@value #IN_FLIGHT} stay waiting, so the ring never
 * empties; {@code emptying}: every batch commits before the next, so the ring empties after each. One operation is
 * one waiter added and taken; the waiters are made once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PendingProposalsBenchmark {

    static final int BATCH = 100;
    static final int IN_FLIGHT = 1000;

    private PendingProposalsBridge steadyRing;
    private PendingProposalsBridge emptyingRing;
    private Waiter[] waiters;
    private long steadyNext;
    private long emptyingNext;

    @Setup(Level.Trial)
    public void fill() {
        waiters = new Waiter[BATCH];
        for (int i = 0; i < BATCH; i++) {
            waiters[i] = new Waiter.Local(i);
        }
        steadyRing = new PendingProposalsBridge();
        emptyingRing = new PendingProposalsBridge();
        steadyNext = 1;
        emptyingNext = 1;
        for (int i = 0; i < IN_FLIGHT; i++) {
            steadyRing.add(steadyNext++, waiters[i % BATCH]);
        }
    }

    /** A batch added, the batch {@value #IN_FLIGHT} indexes behind taken. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int steady() {
        int taken = 0;
        for (int i = 0; i < BATCH; i++) {
            steadyRing.add(steadyNext++, waiters[i]);
        }
        for (long index = steadyNext - IN_FLIGHT - BATCH; index < steadyNext - IN_FLIGHT; index++) {
            taken += steadyRing.take(index);
        }
        return taken;
    }

    /** A batch added and the same batch taken: the ring empties every time. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int emptying() {
        int taken = 0;
        long first = emptyingNext;
        for (int i = 0; i < BATCH; i++) {
            emptyingRing.add(emptyingNext++, waiters[i]);
        }
        for (long index = first; index < emptyingNext; index++) {
            taken += emptyingRing.take(index);
        }
        return taken;
    }
}
