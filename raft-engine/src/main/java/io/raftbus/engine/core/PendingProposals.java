package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who waits for the entry at a log index: local proposals (appended by this leader, or forwarded and ACCEPTED by
 * the leader) and external clients. Each waits for a specific (index, term): when the entry committed at that index
 * has that term the command is applied; any other term means the command was replaced and will never be applied.
 */
final class PendingProposals {

    /** A waiter for the entry with {@code term} at some index. */
    record Pending(Waiter waiter, long term) {
    }

    private final TreeMap<Long, List<Pending>> byIndex = new TreeMap<>();
    private int size;

    void add(long index, Waiter waiter, long term) {
        byIndex.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(waiter, term));
        size++;
    }

    /** Whether {@code waiter} already waits for the entry at {@code index}. */
    boolean contains(long index, Waiter waiter) {
        List<Pending> at = byIndex.get(index);
        return at != null && at.stream().anyMatch(p -> p.waiter().equals(waiter));
    }

    /** Removes and returns the waiters registered at {@code index} (empty if none). */
    List<Pending> take(long index) {
        if (size == 0) {
            return List.of();
        }
        List<Pending> found = byIndex.remove(index);
        if (found == null) {
            return List.of();
        }
        size -= found.size();
        return found;
    }

    /**
     * Removes and returns the waiters at {@code fromIndex} and above that {@code stillValid} rejects, in index order.
     */
    List<Map.Entry<Long, Pending>> removeFrom(long fromIndex, IndexTermCheck stillValid) {
        if (size == 0) {
            return List.of();
        }
        List<Map.Entry<Long, Pending>> removed = new ArrayList<>();
        Iterator<Map.Entry<Long, List<Pending>>> it = byIndex.tailMap(fromIndex, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, List<Pending>> e = it.next();
            Iterator<Pending> ps = e.getValue().iterator();
            while (ps.hasNext()) {
                Pending p = ps.next();
                if (!stillValid.test(e.getKey(), p.term())) {
                    removed.add(Map.entry(e.getKey(), p));
                    ps.remove();
                    size--;
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
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
}
