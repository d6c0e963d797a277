package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.core.RecentResultsBridge;
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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The access pattern of the engine's {@code RecentResults} (package-private: copied here, and called through a bridge
 * in its package for {@link #engineRing()}): the event
 * loop records the result of every applied entry by log index, keeping the most recent {@code capacity}
 * (10,000 with the default {@code maxPendingCommands}), and now and then looks one up for a late acceptance. One
 * operation is one put of the next index (evicting the oldest) plus a lookup {@code capacity / 2} behind. Compares
 * the former access-ordered-off {@code LinkedHashMap<Long, byte[]>} with {@code removeEldestEntry} against an
 * {@link IndexedSlots} ring of the same capacity.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecentResultsBenchmark {

    @Param({"10000"})
    public int capacity;

    private static final byte[] RESULT = new byte[0];

    private Map<Long, byte[]> linkedHashMap;
    private IndexedSlots ring;
    private RecentResultsBridge engine;
    private long next;

    @Setup(Level.Trial)
    public void fill() {
        int bound = capacity;
        linkedHashMap = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > bound;
            }
        };
        ring = new IndexedSlots(capacity);
        engine = new RecentResultsBridge(capacity);
        for (next = 1; next <= capacity; next++) {
            linkedHashMap.put(next, RESULT);
            ring.put(next, RESULT, 0);
            engine.put(next, RESULT);
        }
    }

    /** The engine's former structure. */
    @Benchmark
    public byte[] linkedHashMap() {
        long index = next++;
        linkedHashMap.put(index, RESULT);
        return linkedHashMap.get(index - capacity / 2);
    }

    /** A ring indexed by log index: a put overwrites the slot of the entry {@code capacity} (rounded up) behind. */
    @Benchmark
    public Object ringByIndex() {
        long index = next++;
        ring.take(index - capacity);
        ring.put(index, RESULT, 0);
        return ring.get(index - capacity / 2);
    }

    /** The engine's {@code RecentResults} itself (through a bridge in its package). */
    @Benchmark
    public byte[] engineRing() {
        long index = next++;
        engine.put(index, RESULT);
        return engine.get(index - capacity / 2);
    }
}
