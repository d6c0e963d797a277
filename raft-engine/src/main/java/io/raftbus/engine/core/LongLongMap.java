package io.raftbus.engine.core;

/**
 * A map of primitive {@code long} keys to {@code long} values, without a boxed key or an entry object per mapping:
 * open addressing with linear probing, keys scattered by a multiplicative (Fibonacci) hash (a node's proposal ids are
 * consecutive), deletion by shifting back the later entries of the run. Grows to stay at most half full; once
 * emptied, shrinks to what it needed since it was last empty, and no smaller than {@value #KEEP_AT_LEAST} slots (a
 * burst's memory is given back one emptying later).
 * Not thread-safe.
 */
final class LongLongMap {

    private static final int INITIAL_CAPACITY = 64;
    /** An emptied map keeps at least this many slots (a few thousand keys come and go without reallocating). */
    private static final int KEEP_AT_LEAST = 8192;

    private long[] keys;
    private long[] values;
    private boolean[] used;
    private int mask;
    private int shift;
    private int size;
    /** The most keys held since the map was last empty. */
    private int peakSize;

    LongLongMap() {
        allocate(INITIAL_CAPACITY);
    }

    /** Maps {@code key} to {@code value}, replacing any value it had. */
    void put(long key, long value) {
        if (2 * (size + 1) > keys.length) {
            rehash(keys.length * 2);
        }
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        used[i] = true;
        size++;
        peakSize = Math.max(peakSize, size);
    }

    /** The value of {@code key}, or {@code absent} if it has none. */
    long get(long key, long absent) {
        int i = find(key);
        return i < 0 ? absent : values[i];
    }

    /** Removes {@code key}; returns its value, or {@code absent} if it had none. */
    long remove(long key, long absent) {
        int i = find(key);
        if (i < 0) {
            return absent;
        }
        long value = values[i];
        closeGap(i);
        size--;
        if (size == 0) {
            // emptied: keep room for as many as were held since the last time (a steady load re-fills it at once)
            int keep = Math.max(KEEP_AT_LEAST, Integer.highestOneBit(peakSize) << 2);
            if (keys.length > keep) {
                allocate(keep);
            }
            peakSize = 0;
        }
        return value;
    }

    int size() {
        return size;
    }

    private int find(long key) {
        for (int i = slot(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** Empties slot {@code hole}, moving back each later entry of the run whose probe path passes over the hole. */
    private void closeGap(int hole) {
        for (int i = (hole + 1) & mask; used[i]; i = (i + 1) & mask) {
            if (((i - slot(keys[i])) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        used[hole] = false;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        long[] oldValues = values;
        boolean[] oldUsed = used;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
    }
}
