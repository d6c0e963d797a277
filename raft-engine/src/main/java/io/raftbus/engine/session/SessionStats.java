package io.raftbus.engine.session;

import java.util.EnumMap;
import java.util.Map;

/**
 * A point-in-time view of one node's client-session table ({@code RaftNode.sessionStats()}). The table figures
 * ({@code openSessions}, {@code heldResults}, {@code logTimeMs}) are replicated state: every node has the same at the
 * same applied index. The counters count what this node applied since it started (a restart replays the log after
 * its snapshot and counts again; the entries a snapshot covers are not counted), so they are per node.
 *
 * @param openSessions sessions in the table now
 * @param heldResults results held for clients that have not acknowledged them yet, over all sessions
 * @param logTimeMs the table's log time: the highest leader stamp applied (ms of the leaders' wall clocks)
 * @param expirations sessions dropped after their idle timeout of log time
 * @param evictions sessions dropped to make room for a registration at the cap on sessions
 * @param replies session commands applied, by the reply they got: {@code REGISTERED} counts registrations,
 *                {@code UNKNOWN_SESSION} commands and keep-alives refused because their session was not in the
 *                table, {@code TOO_MANY_UNACKNOWLEDGED} commands refused at the cap on held results,
 *                {@code APPLIED} commands answered (first applications and retries answered from the table)
 */
public record SessionStats(int openSessions, long heldResults, long logTimeMs, long expirations,
                           long evictions, Map<SessionReply.Status, Long> replies) {

    public SessionStats {
        EnumMap<SessionReply.Status, Long> all = new EnumMap<>(SessionReply.Status.class);
        for (SessionReply.Status s : SessionReply.Status.values()) {
            all.put(s, replies.getOrDefault(s, 0L));
        }
        replies = Map.copyOf(all);
    }

    /** How many session commands got reply {@code status}. */
    public long replies(SessionReply.Status status) {
        return replies.get(status);
    }

    /** Sessions registered. */
    public long registrations() {
        return replies(SessionReply.Status.REGISTERED);
    }

    /** Commands and keep-alives refused because their session was not in the table (expired or never registered). */
    public long unknownSession() {
        return replies(SessionReply.Status.UNKNOWN_SESSION);
    }

    /** A one-line summary for logs. */
    public String summary() {
        return "sessions=" + openSessions + " held=" + heldResults + " registered=" + registrations() + " closed="
                + replies(SessionReply.Status.CLOSED) + " expired=" + expirations + " evicted=" + evictions
                + " unknown-session=" + unknownSession() + " too-many-unacked="
                + replies(SessionReply.Status.TOO_MANY_UNACKNOWLEDGED) + " malformed="
                + replies(SessionReply.Status.MALFORMED);
    }
}
