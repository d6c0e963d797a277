package io.raftbus.engine.core;

import java.util.ArrayDeque;

/**
 * The AppendEntries with entries a leader has sent to one follower while pipelining and not yet seen acknowledged,
 * oldest first: each remembered by the last index it carries and when it was sent.
 */
final class Inflights {

    private final int capacity;
    private final ArrayDeque<long[]> sent = new ArrayDeque<>();

    Inflights(int capacity) {
        this.capacity = capacity;
    }

    boolean full() {
        return sent.size() >= capacity;
    }

    boolean isEmpty() {
        return sent.isEmpty();
    }

    int size() {
        return sent.size();
    }

    void add(long lastIndex, long sentAtMs) {
        sent.addLast(new long[] {lastIndex, sentAtMs});
    }

    /** Forgets every message whose entries are all at or below {@code index} (acknowledged). */
    void freeThrough(long index) {
        while (!sent.isEmpty() && sent.peekFirst()[0] <= index) {
            sent.pollFirst();
        }
    }

    /** When the oldest unacknowledged message was sent; only meaningful if not empty. */
    long oldestSentAt() {
        long[] first = sent.peekFirst();
        return first == null ? Long.MAX_VALUE : first[1];
    }

    void clear() {
        sent.clear();
    }
}
