package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
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
 * The test log's per-command work as a leader at 1,000 in flight does it, one thread: a group commit of
 * {@value #BATCH} entries appended, read back into an AppendEntries (which keeps an immutable list as is, and copies
 * any other) and read again to hand them out as committed. One operation is one entry. The log is emptied (compacted)
 * every {@value #COMPACT_EVERY} entries so it does not grow for the whole run; the entries are made once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InMemoryLogBenchmark {

    static final int BATCH = 100;
    static final int COMPACT_EVERY = 100_000;

    private InMemoryLog log;
    private byte[] command;

    @Setup(Level.Trial)
    public void open() {
        log = new InMemoryLog();
        command = new byte[100];
    }

    /** Append, read for the followers' AppendEntries, read again for the hand-out. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long appendReadTwice() {
        long prev = log.lastIndex();
        if (prev >= log.firstIndex() + COMPACT_EVERY) {
            log.compactPrefix(prev, 1);
        }
        List<LogEntry> batch = new ArrayList<>(BATCH);
        for (int i = 1; i <= BATCH; i++) {
            batch.add(new LogEntry(prev + i, 1, EntryType.COMMAND, command));
        }
        log.append(batch);
        AppendEntriesRequest req = new AppendEntriesRequest("c", "n1", "n2", 1, prev, 1,
                log.read(prev + 1, prev + BATCH + 1, 1 << 20), 0);
        List<LogEntry> committed = log.read(prev + 1, prev + BATCH + 1, 1 << 20);
        return req.entries().size() + committed.get(committed.size() - 1).index();
    }
}
