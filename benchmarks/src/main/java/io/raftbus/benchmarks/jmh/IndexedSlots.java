package io.raftbus.benchmarks.jmh;

/**
 * A benchmark-local map from a log index to one value, for indexes that arrive in increasing order and leave
 * (roughly) in the same order, as proposals wait for their entries to commit: a power-of-two array indexed by
 * {@code index & mask}, with the term beside it in a {@code long[]}, so a put or take boxes and allocates nothing.
 * Grows when more than its capacity is outstanding. This is the candidate the micro-benchmarks set against the
 * engine's boxed-{@code Long} maps; it is not used by the engine.
 */
final class IndexedSlots {

    private Object[] values;
    private long[] terms;
    private long[] indexes;
    private int mask;

    IndexedSlots(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        values = new Object[capacity];
        terms = new long[capacity];
        indexes = new long[capacity];
        mask = capacity - 1;
    }

    void put(long index, Object value, long term) {
        int slot = (int) index & mask;
        if (values[slot] != null && indexes[slot] != index) {
            grow();
            slot = (int) index & mask;
        }
        values[slot] = value;
        terms[slot] = term;
        indexes[slot] = index;
    }

    /** The value at {@code index}, or null; leaves it in place. */
    Object get(long index) {
        int slot = (int) index & mask;
        return indexes[slot] == index ? values[slot] : null;
    }

    /** The term stored with the value at {@code index}; meaningful only when {@link #get} is not null. */
    long termAt(long index) {
        return terms[(int) index & mask];
    }

    /** Removes and returns the value at {@code index}, or null. */
    Object take(long index) {
        int slot = (int) index & mask;
        if (indexes[slot] != index) {
            return null;
        }
        Object value = values[slot];
        values[slot] = null;
        return value;
    }

    private void grow() {
        Object[] oldValues = values;
        long[] oldTerms = terms;
        long[] oldIndexes = indexes;
        allocate(oldValues.length * 2);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                put(oldIndexes[i], oldValues[i], oldTerms[i]);
            }
        }
    }
}
