package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.CrashGateBridge;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The crash gate's cost per log call, one thread, through the runtime's own {@code LogFailureWatch} and
 * {@code CrashGate} (via {@link CrashGateBridge}) over an {@link InMemoryLog} of {@value #ENTRIES} entries: the calls
 * the core makes most ({@code lastIndex}, {@code termAt}, whose results are indexes above the boxing cache).
 * {@link #iteration()} is {@value #CALLS} calls inside one event-loop window (one gate acquisition, as the loop holds
 * it per iteration); {@link #singleCall()} is one call outside any window (it takes the gate for itself).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CrashGateBenchmark {

    static final int ENTRIES = 1000;
    static final int CALLS = 16;

    private CrashGateBridge bridge;
    private LogAPI log;
    private long index;

    @Setup(Level.Trial)
    public void fill() {
        InMemoryLog memory = new InMemoryLog();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= ENTRIES; i++) {
            entries.add(new LogEntry(i, 1, EntryType.COMMAND, new byte[100]));
        }
        memory.append(entries);
        bridge = new CrashGateBridge(memory);
        log = bridge.log();
        index = 500;
    }

    /** {@value #CALLS} log calls in one event-loop window: half {@code lastIndex}, half {@code termAt}. */
    @Benchmark
    public long iteration() {
        long sum = 0;
        bridge.openWindow();
        try {
            for (int i = 0; i < CALLS / 2; i++) {
                sum += log.lastIndex();
                sum += log.termAt(next());
            }
        } finally {
            bridge.closeWindow();
        }
        return sum;
    }

    /** One {@code termAt} outside a window. */
    @Benchmark
    public long singleCall() {
        return log.termAt(next());
    }

    private long next() {
        index = index == ENTRIES ? 200 : index + 1;
        return index;
    }
}
