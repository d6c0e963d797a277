package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.PendingProposalsBridge;
import io.raftbus.engine.core.Waiter;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The access pattern of the engine's {@code PendingProposals} (package-private: copied here, and called through a
 * bridge in its package for {@link #engineRing()}): a leader
 * registers a waiter for each entry it appends, at the next log index, and takes the waiters of each entry it
 * applies, {@code window} indexes behind. One operation is one add plus one take, with {@code window} waiters
 * outstanding. Compares the engine's former structure ({@code TreeMap<Long, List<Pending>>}, a record per waiter)
 * with a {@code HashMap<Long, Pending>}, an {@link IndexedSlots} ring (no boxing, no allocation) and the engine's
 * ring itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PendingByIndexBenchmark {

    /** What the engine stores per waiter. */
    record Pending(Object waiter, long term) {
    }

    @Param({"1000"})
    public int window;

    private static final Object WAITER = new Object();
    private static final long TERM = 3;
    private static final Waiter LOCAL = new Waiter.Local(1);

    private TreeMap<Long, List<Pending>> treeMap;
    private Map<Long, Pending> hashMap;
    private IndexedSlots ring;
    private PendingProposalsBridge engine;
    private long next;

    @Setup(Level.Trial)
    public void fill() {
        treeMap = new TreeMap<>();
        hashMap = new HashMap<>();
        ring = new IndexedSlots(window);
        engine = new PendingProposalsBridge();
        for (next = 1; next <= window; next++) {
            treeMap.computeIfAbsent(next, i -> new ArrayList<>(1)).add(new Pending(WAITER, TERM));
            hashMap.put(next, new Pending(WAITER, TERM));
            ring.put(next, WAITER, TERM);
            engine.add(next, LOCAL);
        }
    }

    /** The engine's former structure: a sorted map of boxed indexes to one-element lists of records. */
    @Benchmark
    public List<Pending> treeMapOfLists() {
        long index = next++;
        treeMap.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(WAITER, TERM));
        return treeMap.remove(index - window);
    }

    /** Boxed indexes still, but hashed, one record per index. */
    @Benchmark
    public Pending hashMapOfRecords() {
        long index = next++;
        hashMap.put(index, new Pending(WAITER, TERM));
        return hashMap.remove(index - window);
    }

    /** A ring indexed by log index: waiter and term in parallel arrays. */
    @Benchmark
    public Object ringByIndex() {
        long index = next++;
        ring.put(index, WAITER, TERM);
        return ring.take(index - window);
    }

    /** The engine's {@code PendingProposals} itself (through a bridge in its package): its ring, terms beside it. */
    @Benchmark
    public int engineRing() {
        long index = next++;
        engine.add(index, LOCAL);
        return engine.take(index - window);
    }
}
