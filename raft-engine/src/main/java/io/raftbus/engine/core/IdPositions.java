package io.raftbus.engine.core;

/**
 * A map of proposal ids to {@code long} values (non-negative), for ids drawn from one counter: an id close to the
 * others waiting (within {@value #MAX_SLOTS} of them all) sits in a ring of slots indexed by the id itself, so a
 * lookup is an array access (no hashing, no probing); an id too far from the others to fit (another counter's, or one
 * that waited very long) waits in a {@link LongLongMap} instead. The ring spans {@code [lowest, highest]}, grows by
 * doubling, and once emptied shrinks to what its window needed since it was last empty, and no smaller than
 * {@value #KEEP_AT_LEAST} slots. Ids may come in any order and with gaps (ids drawn but never tracked).
 * Not thread-safe.
 */
final class IdPositions {

    private static final int INITIAL_SLOTS = 64;
    /** Most slots of the ring (a power of two): 512 KB of values at most. */
    static final int MAX_SLOTS = 1 << 16;
    /** An emptied ring keeps at least this many slots (a few thousand in flight come and go without reallocating). */
    private static final int KEEP_AT_LEAST = 4096;
    private static final long EMPTY = 0;

    /** Slot {@code id & (length - 1)}: {@link #EMPTY}, or the id's value + 1. */
    private long[] slots = new long[INITIAL_SLOTS];
    /** With {@link #inRing} > 0: every id in the ring is in [lowest, highest], a span of at most slots.length. */
    private long lowest;
    private long highest;
    private int inRing;
    /** The widest span of the window since the ring was last empty. */
    private int peakSpan;
    /** Ids that did not fit the ring. */
    private final LongLongMap far = new LongLongMap();

    /** Maps {@code id} to {@code value} (non-negative), replacing any value it had. */
    void put(long id, long value) {
        if (inWindow(id) && slots[slot(id)] != EMPTY) {
            slots[slot(id)] = value + 1;
        } else if (far.size() > 0 && far.get(id, -1) >= 0) {
            far.put(id, value);
        } else if (fitRing(id)) {
            slots[slot(id)] = value + 1;
            inRing++;
        } else {
            far.put(id, value);
        }
    }

    /** The value of {@code id}, or {@code absent} if it has none. */
    long get(long id, long absent) {
        if (inWindow(id)) {
            long at = slots[slot(id)];
            if (at != EMPTY) {
                return at - 1;
            }
        }
        return far.size() == 0 ? absent : far.get(id, absent);
    }

    /** Removes {@code id}; returns its value, or {@code absent} if it had none. */
    long remove(long id, long absent) {
        if (inWindow(id)) {
            int slot = slot(id);
            long at = slots[slot];
            if (at != EMPTY) {
                slots[slot] = EMPTY;
                inRing--;
                shrinkWindow();
                return at - 1;
            }
        }
        return far.size() == 0 ? absent : far.remove(id, absent);
    }

    int size() {
        return inRing + far.size();
    }

    private int slot(long id) {
        return (int) id & (slots.length - 1);
    }

    private boolean inWindow(long id) {
        return inRing > 0 && id >= lowest && id <= highest;
    }

    /** Widens the window to take {@code id} (growing the ring if need be); false if it cannot. */
    private boolean fitRing(long id) {
        if (inRing == 0) {
            // emptied: keep what the window that just ended needed (a steady load re-fills it at once) and give back
            // the rest of an earlier burst's memory
            int keep = Math.max(KEEP_AT_LEAST, Integer.highestOneBit(peakSpan) << 1);
            if (slots.length > keep) {
                slots = new long[keep];
            }
            peakSpan = 1;
            lowest = id;
            highest = id;
            return true;
        }
        long newLowest = Math.min(lowest, id);
        long newHighest = Math.max(highest, id);
        long span = newHighest - newLowest + 1;
        if (span <= 0 || span > MAX_SLOTS) {
            return false;
        }
        peakSpan = (int) Math.max(peakSpan, span);
        if (span > slots.length) {
            grow(span);
        }
        lowest = newLowest;
        highest = newHighest;
        return true;
    }

    private void grow(long span) {
        int capacity = slots.length;
        while (capacity < span) {
            capacity <<= 1;
        }
        long[] grown = new long[capacity];
        for (long id = lowest; id <= highest; id++) {
            grown[(int) id & (capacity - 1)] = slots[slot(id)];
        }
        slots = grown;
    }

    /** Moves the window's ends in past emptied slots. */
    private void shrinkWindow() {
        if (inRing == 0) {
            return;
        }
        while (slots[slot(lowest)] == EMPTY) {
            lowest++;
        }
        while (slots[slot(highest)] == EMPTY) {
            highest--;
        }
    }
}
