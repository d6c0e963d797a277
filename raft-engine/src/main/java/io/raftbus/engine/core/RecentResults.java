package io.raftbus.engine.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State-machine results of the most recently applied commands, by log index, so a forwarded command whose
 * acknowledgement arrives after its entry was applied ({@link LateAcceptance}) can still be
 * completed with its result. Bounded: the oldest results are evicted first. Owned by the {@link ReadyHandler}.
 */
final class RecentResults {

    private final Map<Long, byte[]> results;

    RecentResults(int capacity) {
        this.results = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    void put(long index, byte[] result) {
        results.put(index, result);
    }

    /** The result recorded for {@code index}, or null if it was never recorded or has been evicted. */
    byte[] get(long index) {
        return results.get(index);
    }
}
