package io.raftbus.engine.core;

import io.raftbus.engine.message.CommandResponse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's memory of the answers it gave to recent {@link io.raftbus.engine.message.CommandRequest}s, by (sender,
 * request id), so that a duplicated request (the network may deliver a message twice) gets the same answer again,
 * whatever this node's role is by then, rather than being appended twice, or appended after its first copy was
 * refused. Kept across role changes (a deposed leader still knows where it appended a command). Bounded: the oldest
 * are forgotten first. A request only counts as a duplicate if its command also matches (length and hash), so a
 * sender that reuses request ids (for example after a restart) is not mistaken for a duplicate of an unrelated older
 * command.
 */
final class RecentRequests {

    record Key(String from, long requestId) {
    }

    /**
     * The answer a request got: appended at ({@code index}, {@code term}) when {@code refusal} is null, else refused
     * with that status and {@code error}.
     */
    record Answer(long index, long term, CommandResponse.Status refusal, String error, int commandLength,
                  int commandHash) {

        boolean appended() {
            return refusal == null;
        }
    }

    private final Map<Key, Answer> recent;

    RecentRequests(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The answer the same request got, or null if none is remembered (or the command differs). */
    Answer get(Key key, byte[] command) {
        Answer a = recent.get(key);
        if (a == null || command == null || a.commandLength() != command.length
                || a.commandHash() != Arrays.hashCode(command)) {
            return null;
        }
        return a;
    }

    /** Remembers that the request's command was appended at ({@code index}, {@code term}). */
    void putAppended(Key key, byte[] command, long index, long term) {
        recent.put(key, new Answer(index, term, null, null, command.length, Arrays.hashCode(command)));
    }

    /** Remembers that the request was refused (certainly not appended) with {@code status} and {@code error}. */
    void putRefused(Key key, byte[] command, CommandResponse.Status status, String error) {
        recent.put(key, new Answer(0, 0, status, error, command.length, Arrays.hashCode(command)));
    }
}
