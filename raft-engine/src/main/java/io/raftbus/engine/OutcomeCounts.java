package io.raftbus.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Exact counts of outcomes by {@link NodeMetrics.Outcome}, for futures completed on many threads but mostly on one
 * (the node's callback thread). That thread counts with a plain increment and an ordered store into its own
 * counters, each on a cache line of its own, so it pays no atomic instruction and shares no line with another
 * thread's writes; any other thread (a blocked caller completing its own future, a caller refused with
 * backpressure) counts in a {@link LongAdder}. A count is stored before the future completes, so whoever saw the
 * future complete reads it (the completion is a release, seeing it an acquire); readers on any thread add both.
 */
final class OutcomeCounts {

    private static final VarHandle OWNED = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs in a 64-byte cache line: the owner's counters are this far apart, with as much before and after. */
    private static final int STRIDE = 8;

    private final BooleanSupplier onOwnerThread;
    /** The owner thread's counts, at {@code (ordinal + 1) * STRIDE}; written by that thread only. */
    private final long[] owned;
    private final LongAdder[] shared;

    /** @param onOwnerThread whether the calling thread is the one that counts most outcomes (the callback thread) */
    OutcomeCounts(BooleanSupplier onOwnerThread) {
        int outcomes = NodeMetrics.Outcome.values().length;
        this.onOwnerThread = onOwnerThread;
        this.owned = new long[(outcomes + 2) * STRIDE];
        this.shared = new LongAdder[outcomes];
        for (int i = 0; i < outcomes; i++) {
            shared[i] = new LongAdder();
        }
    }

    /** Counts one outcome, from any thread. */
    void count(NodeMetrics.Outcome outcome) {
        if (onOwnerThread.getAsBoolean()) {
            int at = (outcome.ordinal() + 1) * STRIDE;
            OWNED.setRelease(owned, at, (long) OWNED.get(owned, at) + 1); // one writer: no atomic step needed
        } else {
            shared[outcome.ordinal()].increment();
        }
    }

    /** How many outcomes of this kind were counted (any thread). */
    long get(NodeMetrics.Outcome outcome) {
        return (long) OWNED.getAcquire(owned, (outcome.ordinal() + 1) * STRIDE) + shared[outcome.ordinal()].sum();
    }
}
