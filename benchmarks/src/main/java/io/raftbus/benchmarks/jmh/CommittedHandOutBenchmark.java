package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.CommittedEntry;
import io.raftbus.engine.core.CommittedHandOutBridge;
import io.raftbus.engine.core.Waiter;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The core's hand-out of committed entries on a leader and the runtime's walk over them, one thread: a batch of
 * {@value #BATCH} committed entries (as one log read returns them), each with one local waiter, handed out and then
 * read in index order with its waiter. One operation is one entry. Compares the hand-out before the fourth increment
 * of issue 12 (a {@code CommittedEntry} record and a one-waiter list per entry, collected in a list that the
 * {@code Ready} copied) with the engine's {@code CommittedEntries} (the log's list as is, one waiter array per batch).
 * The entries and waiters are made once; neither side pays for them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommittedHandOutBenchmark {

    static final int BATCH = 100;

    private List<LogEntry> entries;
    private Waiter[] waiters;

    @Setup(Level.Trial)
    public void fill() {
        entries = new ArrayList<>(BATCH);
        waiters = new Waiter[BATCH];
        for (int i = 0; i < BATCH; i++) {
            entries.add(new LogEntry(i + 1, 3, EntryType.COMMAND, new byte[100]));
            waiters[i] = new Waiter.Local(i + 1);
        }
    }

    /** Before: a {@code CommittedEntry} and {@code List.of(waiter)} per entry, a list, and the Ready's copy. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long recordPerEntry() {
        List<CommittedEntry> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            out.add(new CommittedEntry(entries.get(i), List.of(waiters[i])));
        }
        List<CommittedEntry> inReady = List.copyOf(out);
        long sum = 0;
        for (int i = 0; i < inReady.size(); i++) {
            CommittedEntry c = inReady.get(i);
            sum += c.entry().index();
            List<Waiter> ws = c.waiters();
            for (int k = 0; k < ws.size(); k++) {
                sum += ((Waiter.Local) ws.get(k)).proposalId();
            }
        }
        return sum;
    }

    /** The engine: one {@code CommittedEntries} range per batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long engineRange() {
        return CommittedHandOutBridge.handOutAndWalk(entries, waiters);
    }
}
