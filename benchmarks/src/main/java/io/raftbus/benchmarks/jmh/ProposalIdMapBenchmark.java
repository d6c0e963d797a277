package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.ProposalIdMapBridge;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How the core's proposal deadlines find a proposal by id ({@link ProposalIdMapBridge}), one thread, as a leader at
 * {@value #IN_FLIGHT} commands in flight uses it: each operation looks a new id up (is it tracked already?) and maps
 * it to its position, then removes the id drawn {@value #IN_FLIGHT} before (its entry committed). {@code byId}: the
 * ring indexed by id the core uses now; {@code hashed}: the open-addressing table it used before. Each is measured in
 * its own fork, alternating in one run, so both see the same machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProposalIdMapBenchmark {

    static final int IN_FLIGHT = 1000;

    @Param({"byId", "hashed"})
    public String map;

    private ProposalIdMapBridge ids;
    private long next;
    private long position;

    @Setup(Level.Trial)
    public void fill() {
        ids = map.equals("byId") ? ProposalIdMapBridge.indexedById() : ProposalIdMapBridge.hashed();
        next = 1L << 40; // ids as a node draws them: consecutive from a random start
        for (int i = 0; i < IN_FLIGHT; i++) {
            ids.put(next++, position++);
        }
    }

    /** One id looked up and mapped, the one {@value #IN_FLIGHT} older removed. */
    @Benchmark
    public long lookUpPutRemove() {
        long known = ids.get(next, -1);
        ids.put(next, position++);
        long removed = ids.remove(next - IN_FLIGHT, -1);
        next++;
        return known + removed;
    }
}
