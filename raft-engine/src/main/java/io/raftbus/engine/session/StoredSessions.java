package io.raftbus.engine.session;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A {@link SessionTable}'s replicated state as a durable {@link SessionStore} holds it: the log time and the open
 * sessions, least recently active first, each with the results it holds for its client.
 *
 * @param logTime the highest leader stamp applied
 * @param sessions the open sessions, in activity order (increasing {@link Session#lastIndex})
 */
public record StoredSessions(long logTime, List<Session> sessions) {

    /** No session, log time 0: what a store holds before its first session entry. */
    public static final StoredSessions EMPTY = new StoredSessions(0, List.of());

    public StoredSessions {
        sessions = List.copyOf(sessions);
    }

    /**
     * One open session.
     *
     * @param id the session id (the log index of its registration)
     * @param lastActive the log time of its last activity
     * @param lastIndex the log index of its last activity (orders sessions by activity; unique)
     * @param firstUnacked the lowest seq whose result its client still waits for
     * @param results seq to result of the commands applied and not yet acknowledged (all at or above firstUnacked)
     */
    public record Session(long id, long lastActive, long lastIndex, long firstUnacked,
                          NavigableMap<Long, byte[]> results) {

        public Session {
            results = Collections.unmodifiableNavigableMap(new TreeMap<>(Objects.requireNonNull(results, "results")));
        }
    }
}
