package io.raftbus.engine.core;

/**
 * A map of proposal ids to {@code long} values (non-negative), for ids drawn from one counter: an id sits in the slot
 * of a ring chosen by its low bits, so a lookup is an array access and a comparison (no hashing, no probing: the ids
 * waiting at once are consecutive, or nearly, so they fall in distinct slots). An id whose slot another id holds
 * makes the ring double (its ids keep distinct slots) up to {@value #MAX_SLOTS} slots; past that, it waits in a
 * {@link LongLongMap} instead, looked into only while it holds something. The ring starts small and keeps its size
 * (at most 128 KB, what the map it replaced kept at least). Ids may come in any order and with gaps.
 * Not thread-safe.
 */
final class IdPositions {

    private static final int INITIAL_SLOTS = 64;
    /** Most slots of the ring (a power of two). */
    static final int MAX_SLOTS = 1 << 13;
    private static final long EMPTY = 0;

    private long[] ids = new long[INITIAL_SLOTS];
    /** Per slot: {@link #EMPTY}, or the value of the id in the same slot of {@link #ids}, plus one. */
    private long[] values = new long[INITIAL_SLOTS];
    private int inRing;
    /** Ids whose slot was taken when the ring could not grow any more. */
    private final LongLongMap far = new LongLongMap();

    /** Maps {@code id} to {@code value} (non-negative), replacing any value it had. */
    void put(long id, long value) {
        int slot = slot(id);
        if (values[slot] != EMPTY && ids[slot] == id) {
            values[slot] = value + 1;
            return;
        }
        if (far.size() > 0 && far.get(id, -1) >= 0) {
            far.put(id, value);
            return;
        }
        while (values[slot] != EMPTY && ids.length < MAX_SLOTS) {
            grow();
            slot = slot(id);
        }
        if (values[slot] == EMPTY) {
            ids[slot] = id;
            values[slot] = value + 1;
            inRing++;
        } else {
            far.put(id, value);
        }
    }

    /** The value of {@code id}, or {@code absent} if it has none. */
    long get(long id, long absent) {
        int slot = slot(id);
        if (values[slot] != EMPTY && ids[slot] == id) {
            return values[slot] - 1;
        }
        return far.size() == 0 ? absent : far.get(id, absent);
    }

    /** Removes {@code id}; returns its value, or {@code absent} if it had none. */
    long remove(long id, long absent) {
        int slot = slot(id);
        if (values[slot] != EMPTY && ids[slot] == id) {
            long value = values[slot] - 1;
            values[slot] = EMPTY;
            inRing--;
            return value;
        }
        return far.size() == 0 ? absent : far.remove(id, absent);
    }

    int size() {
        return inRing + far.size();
    }

    private int slot(long id) {
        return (int) id & (ids.length - 1);
    }

    /** Doubles the ring: ids in distinct slots of the smaller ring differ in its low bits, so they stay distinct. */
    private void grow() {
        long[] oldIds = ids;
        long[] oldValues = values;
        ids = new long[oldIds.length * 2];
        values = new long[oldIds.length * 2];
        for (int i = 0; i < oldIds.length; i++) {
            if (oldValues[i] != EMPTY) {
                ids[slot(oldIds[i])] = oldIds[i];
                values[slot(oldIds[i])] = oldValues[i];
            }
        }
    }
}
