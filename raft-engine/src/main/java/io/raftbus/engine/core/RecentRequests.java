package io.raftbus.engine.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leader's memory of recently appended {@link io.raftbus.engine.message.CommandRequest}s, by (sender, request
 * id), so that a duplicated request (the network may deliver a message twice) is answered again rather than appended
 * twice. Bounded: the oldest are forgotten first. A request only counts as a duplicate if its command also matches
 * (length and hash), so a sender that reuses request ids (for example after a restart) is not mistaken for a
 * duplicate of an unrelated older command.
 */
final class RecentRequests {

    record Key(String from, long requestId) {
    }

    /** Where the request's command was appended. */
    record Appended(long index, long term, int commandLength, int commandHash) {
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

    /** Where the same request was appended, or null if it was not (or the command differs). */
    Appended get(Key key, byte[] command) {
        Appended a = recent.get(key);
        if (a == null || command == null || a.commandLength() != command.length
                || a.commandHash() != Arrays.hashCode(command)) {
            return null;
        }
        return a;
    }

    void put(Key key, byte[] command, long index, long term) {
        recent.put(key, new Appended(index, term, command.length, Arrays.hashCode(command)));
    }
}
