package io.raftbus.engine.core;

/**
 * State-machine results of the most recently applied commands, by log index, so a forwarded command whose
 * acknowledgement arrives after its entry was applied ({@link LateAcceptance}) can still be completed with its
 * result. Bounded: a ring of slots indexed by log index (no boxed key or map entry per command) that keeps the
 * results of at least the last {@code capacity} log indexes applied; a newer index takes the slot of the oldest.
 * Owned by the {@link ReadyHandler}.
 */
final class RecentResults {

    /** The log index each slot holds a result for; 0 (never a log index): none. */
    private final long[] indexes;
    private final byte[][] results;
    private final int mask;

    /** @param capacity how many log indexes back results are kept at least (rounded up to a power of two) */
    RecentResults(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be in [1, 2^30], not " + capacity);
        }
        int slots = Integer.highestOneBit(capacity);
        if (slots < capacity) {
            slots <<= 1;
        }
        this.indexes = new long[slots];
        this.results = new byte[slots][];
        this.mask = slots - 1;
    }

    /** Records the result of the command applied at {@code index} (indexes are put in increasing order). */
    void put(long index, byte[] result) {
        int slot = (int) index & mask;
        indexes[slot] = index;
        results[slot] = result;
    }

    /** The result recorded for {@code index}, or null if it was never recorded or has been evicted. */
    byte[] get(long index) {
        int slot = (int) index & mask;
        return index > 0 && indexes[slot] == index ? results[slot] : null;
    }
}
