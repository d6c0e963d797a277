package io.raftbus.engine.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leader's memory of recently appended {@link io.raftbus.engine.message.CommandRequest}s, by (sender, request
 * id), so that a duplicated request (the network may deliver a message twice) is answered again rather than appended
 * twice. Bounded: the oldest are forgotten first.
 */
final class RecentRequests {

    record Key(String from, long requestId) {
    }

    /** Where the request's command was appended. */
    record Appended(long index, long term) {
    }

    private final Map<Key, Appended> recent;

    RecentRequests(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Appended> eldest) {
                return size() > capacity;
            }
        };
    }

    Appended get(Key key) {
        return recent.get(key);
    }

    void put(Key key, long index, long term) {
        recent.put(key, new Appended(index, term));
    }
}
