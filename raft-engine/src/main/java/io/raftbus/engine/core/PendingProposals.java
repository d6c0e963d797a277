package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who waits for the entry at a log index: local proposals (appended by this leader, or forwarded and ACCEPTED by
 * the leader) and external clients. Each waits for a specific (index, term): when the entry committed at that index
 * has that term the command is applied; any other term means the command was replaced and will never be applied.
 */
final class PendingProposals {

    /** A waiter for the entry with {@code term} at some index. */
    record Pending(Waiter waiter, long term) {
    }

    private final Map<Long, List<Pending>> byIndex = new HashMap<>();
    private int size;

    void add(long index, Waiter waiter, long term) {
        byIndex.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(waiter, term));
        size++;
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

    int size() {
        return size;
    }
}
