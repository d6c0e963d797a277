package io.raftbus.engine.session;

/**
 * The bounds of the replicated {@link SessionTable}, applied deterministically at every index on every node (so every
 * node of a cluster must use the same limits, like the idle timeout).
 *
 * <ul>
 *   <li>{@code maxSessions}: a registration that finds this many sessions open first evicts the least recently active
 *       one (its client's next command gets {@code UNKNOWN_SESSION}: a clear error, never a second application).</li>
 *   <li>{@code maxUnacknowledgedResults}: a command with a new seq of a session already holding this many results its
 *       client has not acknowledged is refused, not applied ({@code TOO_MANY_UNACKNOWLEDGED}).</li>
 * </ul>
 *
 * @param maxSessions how many sessions may be open at once, at least 1
 * @param maxUnacknowledgedResults how many results one session may hold for its client, at least 1
 */
public record SessionLimits(int maxSessions, int maxUnacknowledgedResults) {

    /**
     * 10,000 sessions, 1,000 held results each: far above what a client with one command at a time (one held result)
     * or a pipelining client needs, and enough to keep a flood of registrations or a client that never acknowledges
     * from growing the table without bound.
     */
    public static final SessionLimits DEFAULTS = new SessionLimits(10_000, 1_000);

    public SessionLimits {
        if (maxSessions < 1 || maxUnacknowledgedResults < 1) {
            throw new IllegalArgumentException("session limits must be >= 1: maxSessions " + maxSessions
                    + ", maxUnacknowledgedResults " + maxUnacknowledgedResults);
        }
    }
}
