package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who waits for the entry at a log index: local proposals (appended by this leader, or forwarded and ACCEPTED by
 * the leader) and external clients. Each waits for a specific (index, term): when the entry committed at that index
 * has that term the command is applied; any other term means the command was replaced and will never be applied.
 *
 * <p>Held in a ring of slots indexed by log index (no boxed key, no tree node per command): waiting indexes are
 * close together (above the last index handed out, at most a few uncommitted batches apart), so the ring spans
 * {@code [lowest, highest]} and grows by doubling up to {@value #MAX_SLOTS} slots; once empty it shrinks to what the
 * last window needed, and no smaller than {@value #KEEP_AT_LEAST} (not to its initial size, which a steady load would
 * re-grow at every batch). An index too far
 * from the others to fit (a lagging follower's forward accepted far ahead) waits in a sorted overflow map instead.
 * Waiters at one index come out in the order they were added.
 */
final class PendingProposals {

    /** A waiter for the entry with {@code term} at some index. */
    record Pending(Waiter waiter, long term) {
    }

    /**
     * The waiters taken at one index, with the term each waits for: the caller's, reused, so a take allocates
     * nothing (the ring keeps a single waiter and its term without a {@link Pending}).
     */
    static final class Taken {
        private Waiter[] waiters = new Waiter[4];
        private long[] terms = new long[4];
        private int size;

        int size() {
            return size;
        }

        Waiter waiter(int i) {
            return waiters[i];
        }

        long term(int i) {
            return terms[i];
        }

        private void add(Waiter waiter, long term) {
            if (size == waiters.length) {
                waiters = Arrays.copyOf(waiters, size * 2);
                terms = Arrays.copyOf(terms, size * 2);
            }
            waiters[size] = waiter;
            terms[size++] = term;
        }

        private void addAll(List<Pending> ps) {
            for (int i = 0; i < ps.size(); i++) {
                add(ps.get(i).waiter(), ps.get(i).term());
            }
        }

        /** Forgets the waiters taken (the references too, so they can be collected). */
        void clear() {
            for (int i = 0; i < size; i++) { // mostly one: a plain loop, not Arrays.fill's checks and call
                waiters[i] = null;
            }
            size = 0;
        }
    }

    private static final int INITIAL_SLOTS = 64;
    /** Most slots of the ring (a power of two): 1 MB of references at most. */
    static final int MAX_SLOTS = 1 << 18;
    /** An emptied ring keeps at least this many slots (a few thousand in flight come and go without reallocating). */
    private static final int KEEP_AT_LEAST = 4096;

    /**
     * Slot {@code index & (slots.length - 1)}: null, a {@link Waiter} (the only one, waiting for the term in the same
     * slot of {@link #terms}), or a {@code List<Pending>} (several).
     */
    private Object[] slots = new Object[INITIAL_SLOTS];
    private long[] terms = new long[INITIAL_SLOTS];
    /** With {@link #inRing} > 0: every index waiting in the ring is in [lowest, highest], a span below slots.length. */
    private long lowest;
    private long highest;
    private int inRing;
    /** The widest span of the window since the ring was last empty. */
    private int peakSpan;
    /** Waiters at indexes that did not fit the ring; each index's are older than the ring's at the same index. */
    private final TreeMap<Long, List<Pending>> overflow = new TreeMap<>();
    private int size;
    /** Reused by {@link #take(long, List)}. */
    private final Taken spare = new Taken();

    void add(long index, Waiter waiter, long term) {
        size++;
        if (!fitRing(index)) {
            overflow.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(waiter, term));
            return;
        }
        int slot = slot(index);
        Object current = slots[slot];
        inRing++;
        if (current == null) {
            slots[slot] = waiter;
            terms[slot] = term;
        } else if (current instanceof Waiter first) {
            List<Pending> several = new ArrayList<>(2);
            several.add(new Pending(first, terms[slot]));
            several.add(new Pending(waiter, term));
            slots[slot] = several;
        } else {
            listAt(slot).add(new Pending(waiter, term));
        }
    }

    /** Whether {@code waiter} already waits for the entry at {@code index}. */
    boolean contains(long index, Waiter waiter) {
        List<Pending> far = overflow.isEmpty() ? null : overflow.get(index);
        if (far != null && far.stream().anyMatch(p -> p.waiter().equals(waiter))) {
            return true;
        }
        if (!inRingWindow(index)) {
            return false;
        }
        Object at = slots[slot(index)];
        if (at instanceof Waiter only) {
            return only.equals(waiter);
        }
        return at != null && listAt(slot(index)).stream().anyMatch(p -> p.waiter().equals(waiter));
    }

    /**
     * Removes the waiters registered at {@code index} and adds them to {@code into} (cleared first), in the order they
     * were added; {@code into} is the caller's, reused, so a take allocates nothing.
     */
    void take(long index, Taken into) {
        into.clear();
        if (size == 0) {
            return;
        }
        if (!overflow.isEmpty()) {
            List<Pending> far = overflow.remove(index);
            if (far != null) {
                into.addAll(far);
                size -= far.size();
            }
        }
        if (!inRingWindow(index)) {
            return;
        }
        int slot = slot(index);
        Object at = slots[slot];
        if (at == null) {
            return;
        }
        int taken;
        if (at instanceof Waiter only) {
            into.add(only, terms[slot]);
            taken = 1;
        } else {
            List<Pending> several = listAt(slot);
            into.addAll(several);
            taken = several.size();
        }
        slots[slot] = null;
        size -= taken;
        inRing -= taken;
        shrinkWindow();
    }

    /** As {@link #take(long, Taken)}, each waiter as a {@link Pending} (for the rarer paths and tests). */
    void take(long index, List<Pending> into) {
        into.clear();
        take(index, spare);
        for (int i = 0; i < spare.size(); i++) {
            into.add(new Pending(spare.waiter(i), spare.term(i)));
        }
        spare.clear();
    }

    /**
     * Removes and returns the waiters at {@code fromIndex} and above that {@code stillValid} rejects, in index order
     * (at one index, in the order they were added).
     */
    List<Map.Entry<Long, Pending>> removeFrom(long fromIndex, IndexTermCheck stillValid) {
        if (size == 0) {
            return List.of();
        }
        List<Map.Entry<Long, Pending>> removed = new ArrayList<>();
        Iterator<Map.Entry<Long, List<Pending>>> far = overflow.tailMap(fromIndex, true).entrySet().iterator();
        Map.Entry<Long, List<Pending>> nextFar = far.hasNext() ? far.next() : null;
        long index = inRing == 0 ? Long.MAX_VALUE : Math.max(fromIndex, lowest);
        long last = inRing == 0 ? Long.MIN_VALUE : highest;
        while (nextFar != null || index <= last) {
            // the overflow's waiters at an index first: they are the older ones
            if (nextFar != null && (index > last || nextFar.getKey() <= index)) {
                removeRejected(nextFar.getKey(), nextFar.getValue(), stillValid, removed);
                if (nextFar.getValue().isEmpty()) {
                    far.remove();
                }
                nextFar = far.hasNext() ? far.next() : null;
                continue;
            }
            removeRejectedInRing(index, stillValid, removed);
            index++;
        }
        shrinkWindow();
        return removed;
    }

    /** Removes and returns every waiter at {@code index} and below, in index order. */
    List<Pending> removeThrough(long index) {
        List<Pending> removed = new ArrayList<>();
        if (size == 0) {
            return removed;
        }
        List<Long> farIndexes = new ArrayList<>(overflow.headMap(index, true).keySet());
        long ringFrom = inRing == 0 ? Long.MAX_VALUE : lowest;
        long ringTo = inRing == 0 ? Long.MIN_VALUE : Math.min(highest, index);
        List<Pending> at = new ArrayList<>();
        int f = 0;
        for (long i = ringFrom; i <= ringTo || f < farIndexes.size(); ) {
            long next = f < farIndexes.size() && (i > ringTo || farIndexes.get(f) < i) ? farIndexes.get(f++) : i++;
            take(next, at);
            removed.addAll(at);
        }
        return removed;
    }

    /** Whether a waiter for (index, term) may still be satisfied. */
    @FunctionalInterface
    interface IndexTermCheck {
        boolean test(long index, long term);
    }

    int size() {
        return size;
    }

    // ------------------------------------------------------------------------------------------------ the ring

    private int slot(long index) {
        return (int) index & (slots.length - 1);
    }

    @SuppressWarnings("unchecked")
    private List<Pending> listAt(int slot) {
        return (List<Pending>) slots[slot];
    }

    private boolean inRingWindow(long index) {
        return inRing > 0 && index >= lowest && index <= highest;
    }

    /** Widens the ring's window to take {@code index} (growing the ring if need be); false if it cannot. */
    private boolean fitRing(long index) {
        if (inRing == 0) {
            // the ring emptied: keep what the window that just ended needed (a steady load re-fills it at once) and
            // give back the rest of an earlier burst's memory
            int keep = Math.max(KEEP_AT_LEAST, Integer.highestOneBit(peakSpan) << 1);
            if (slots.length > keep) {
                slots = new Object[keep];
                terms = new long[keep];
            }
            peakSpan = 1;
            lowest = index;
            highest = index;
            return true;
        }
        long newLowest = Math.min(lowest, index);
        long newHighest = Math.max(highest, index);
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
        Object[] grown = new Object[capacity];
        long[] grownTerms = new long[capacity];
        for (long i = lowest; i <= highest; i++) {
            grown[(int) i & (capacity - 1)] = slots[slot(i)];
            grownTerms[(int) i & (capacity - 1)] = terms[slot(i)];
        }
        slots = grown;
        terms = grownTerms;
    }

    /** Moves the window's ends in past emptied slots. */
    private void shrinkWindow() {
        if (inRing == 0) {
            return;
        }
        while (slots[slot(lowest)] == null) {
            lowest++;
        }
        while (slots[slot(highest)] == null) {
            highest--;
        }
    }

    private void removeRejectedInRing(long index, IndexTermCheck stillValid, List<Map.Entry<Long, Pending>> removed) {
        int slot = slot(index);
        Object at = slots[slot];
        if (at instanceof Waiter only) {
            if (!stillValid.test(index, terms[slot])) {
                removed.add(Map.entry(index, new Pending(only, terms[slot])));
                slots[slot] = null;
                size--;
                inRing--;
            }
        } else if (at != null) {
            List<Pending> several = listAt(slot);
            int before = several.size();
            removeRejected(index, several, stillValid, removed);
            inRing -= before - several.size();
            if (several.isEmpty()) {
                slots[slot] = null;
            }
        }
    }

    private void removeRejected(long index, List<Pending> at, IndexTermCheck stillValid,
                                List<Map.Entry<Long, Pending>> removed) {
        Iterator<Pending> ps = at.iterator();
        while (ps.hasNext()) {
            Pending p = ps.next();
            if (!stillValid.test(index, p.term())) {
                removed.add(Map.entry(index, p));
                ps.remove();
                size--;
            }
        }
    }
}
