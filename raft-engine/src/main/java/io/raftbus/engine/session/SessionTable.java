package io.raftbus.engine.session;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The replicated table of client sessions (Ongaro's thesis §6.3): for each session, the results of the commands
 * applied but not yet acknowledged by the client, the lowest seq the client still waits for, and when it was last
 * active in <em>log time</em>. Every node applies the same commands to it in the same order and so holds the same
 * table at every index; nothing in it reads a node's own clock.
 *
 * <ul>
 *   <li>A (session, seq) applied before is not applied again: its recorded result is returned.</li>
 *   <li>A seq below the client's lowest unacknowledged seq is not applied: {@code ALREADY_ACKNOWLEDGED}.</li>
 *   <li>A command of a session not in the table (never registered, expired, evicted or closed) is not applied:
 *       {@code UNKNOWN_SESSION}. This is why sessions are registered explicitly: a client-chosen id could not tell
 *       an expired session from a new one, and would apply a retried command twice after expiry.</li>
 *   <li>Log time is the highest leader stamp seen so far (it never goes back, whichever leader stamped); a session
 *       idle for more than {@code idleTimeoutMs} of log time is dropped, at the same index on every node.</li>
 *   <li>{@link SessionLimits}: a registration beyond {@code maxSessions} evicts the least recently active session;
 *       a new seq of a session holding {@code maxUnacknowledgedResults} results is refused, not applied
 *       ({@code TOO_MANY_UNACKNOWLEDGED}).</li>
 *   <li>CLOSE drops a session and its results ({@code CLOSED}).</li>
 * </ul>
 * Not thread-safe: used on the event loop only. {@link #copy()} is for snapshots; {@link #stored()} and
 * {@link #load} move the state to and from a durable {@link SessionStore}.
 */
public final class SessionTable {

    /** Format 2 adds each session's last active index; format 1 is still read. */
    private static final int FORMAT_VERSION = 2;

    private final long idleTimeoutMs;
    private final SessionLimits limits;
    /** Sessions by id, least recently active first (re-inserted on activity, so in increasing lastIndex). */
    private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
    private long logTime;
    private long expired;
    private long evicted;
    private long malformed;

    /** A table with the {@link SessionLimits#DEFAULTS default limits}. */
    public SessionTable(long idleTimeoutMs) {
        this(idleTimeoutMs, SessionLimits.DEFAULTS);
    }

    /**
     * @param idleTimeoutMs how long, in log time, a session may be idle before it expires; the same on every node
     * @param limits the caps on sessions and held results; the same on every node
     */
    public SessionTable(long idleTimeoutMs, SessionLimits limits) {
        if (idleTimeoutMs < 1) {
            throw new IllegalArgumentException("idleTimeoutMs must be >= 1, was " + idleTimeoutMs);
        }
        this.idleTimeoutMs = idleTimeoutMs;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    private static final class Session {
        long lastActive;
        /** The log index of its last activity: orders sessions by activity (ties of log time included). */
        long lastIndex;
        long firstUnacked = 1;
        final TreeMap<Long, byte[]> results = new TreeMap<>();

        Session copy() {
            Session s = new Session();
            s.lastActive = lastActive;
            s.lastIndex = lastIndex;
            s.firstUnacked = firstUnacked;
            s.results.putAll(results); // results are never modified
            return s;
        }
    }

    /**
     * Applies one command entry's bytes at {@code index}: advances log time, expires idle sessions, then registers,
     * closes, keeps alive, or applies the payload through {@code application} at most once per (session, seq).
     *
     * @param application applies a payload: (index, payload) to its result; called only for a first application
     * @return the reply every submitter of this entry gets
     */
    public SessionReply apply(long index, byte[] entry, BiFunction<Long, byte[], byte[]> application) {
        return apply(index, entry, application, null);
    }

    /**
     * As {@link #apply(long, byte[], BiFunction)}, recording what changed in {@code changes} (null: not recorded)
     * for a durable {@link SessionStore}.
     */
    public SessionReply apply(long index, byte[] entry, BiFunction<Long, byte[], byte[]> application,
                              SessionChanges changes) {
        SessionChanges c = changes == null ? new SessionChanges() : changes;
        c.logTime(logTime);
        if (!SessionEnvelope.isEnvelope(entry)) {
            malformed++;
            return SessionReply.of(SessionReply.Status.MALFORMED);
        }
        SessionEnvelope e = SessionEnvelope.decode(entry);
        logTime = Math.max(logTime, e.logTime());
        c.logTime(logTime);
        expireIdle(c);
        switch (e.kind()) {
            case REGISTER -> {
                while (sessions.size() >= limits.maxSessions()) {
                    Iterator<Long> lru = sessions.keySet().iterator();
                    c.removed(lru.next());
                    lru.remove();
                    evicted++;
                }
                Session s = new Session();
                s.lastActive = logTime;
                s.lastIndex = index;
                sessions.put(index, s);
                c.touched(row(index, s));
                return new SessionReply(SessionReply.Status.REGISTERED, index, new byte[0]);
            }
            case CLOSE -> {
                if (sessions.remove(e.sessionId()) == null) {
                    return SessionReply.of(SessionReply.Status.UNKNOWN_SESSION);
                }
                c.removed(e.sessionId());
                return SessionReply.of(SessionReply.Status.CLOSED);
            }
            default -> {
                return applyToSession(index, e, application, c);
            }
        }
    }

    private SessionReply applyToSession(long index, SessionEnvelope e, BiFunction<Long, byte[], byte[]> application,
                                        SessionChanges c) {
        Session s = sessions.remove(e.sessionId());
        if (s == null) {
            return SessionReply.of(SessionReply.Status.UNKNOWN_SESSION);
        }
        s.lastActive = logTime;
        s.lastIndex = index;
        sessions.put(e.sessionId(), s); // most recently active last
        if (e.firstUnacked() > s.firstUnacked) {
            s.firstUnacked = e.firstUnacked();
            s.results.headMap(e.firstUnacked()).clear();
        }
        c.touched(row(e.sessionId(), s));
        if (e.kind() == SessionEnvelope.Kind.KEEP_ALIVE) {
            return SessionReply.of(SessionReply.Status.KEPT_ALIVE);
        }
        if (e.seq() < s.firstUnacked) {
            return SessionReply.of(SessionReply.Status.ALREADY_ACKNOWLEDGED);
        }
        byte[] recorded = s.results.get(e.seq());
        if (recorded == null) {
            if (s.results.size() >= limits.maxUnacknowledgedResults()) {
                return SessionReply.of(SessionReply.Status.TOO_MANY_UNACKNOWLEDGED);
            }
            recorded = application.apply(index, e.payload());
            s.results.put(e.seq(), recorded);
            c.held(e.seq(), recorded);
        }
        return new SessionReply(SessionReply.Status.APPLIED, 0, recorded);
    }

    private static SessionChanges.Touched row(long id, Session s) {
        return new SessionChanges.Touched(id, s.lastActive, s.lastIndex, s.firstUnacked);
    }

    private void expireIdle(SessionChanges c) {
        for (Iterator<Map.Entry<Long, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Session> s = it.next();
            if (logTime - s.getValue().lastActive <= idleTimeoutMs) {
                return;
            }
            it.remove();
            c.removed(s.getKey());
            expired++;
        }
    }

    /** How long, in log time, a session may be idle before it expires. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** The caps on sessions and held results. */
    public SessionLimits limits() {
        return limits;
    }
    /** The log time: the highest leader stamp applied so far. */
    public long logTime() {
        return logTime;
    }

    /** How many sessions are open. */
    public int size() {
        return sessions.size();
    }

    /** Whether {@code sessionId} is open. */
    public boolean contains(long sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** How many results are held for acknowledgement, over all sessions. */
    public long heldResults() {
        long n = 0;
        for (Session s : sessions.values()) {
            n += s.results.size();
        }
        return n;
    }

    /** Sessions expired since this table was created or restored (not replicated state: a counter). */
    public long expiredCount() {
        return expired;
    }

    /** Sessions evicted by the session cap since this table was created or restored (a counter). */
    public long evictedCount() {
        return evicted;
    }

    /** Entries that were no session command, skipped (a counter). */
    public long malformedCount() {
        return malformed;
    }

    /** An independent copy of the replicated state (results are shared: they are never modified). */
    public SessionTable copy() {
        SessionTable t = new SessionTable(idleTimeoutMs, limits);
        t.logTime = logTime;
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            t.sessions.put(e.getKey(), e.getValue().copy());
        }
        return t;
    }

    /** Writes the replicated state (log time, sessions in activity order, their held results). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(FORMAT_VERSION);
        out.writeLong(logTime);
        out.writeInt(sessions.size());
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            Session s = e.getValue();
            out.writeLong(e.getKey());
            out.writeLong(s.lastActive);
            out.writeLong(s.lastIndex);
            out.writeLong(s.firstUnacked);
            out.writeInt(s.results.size());
            for (Map.Entry<Long, byte[]> r : s.results.entrySet()) {
                out.writeLong(r.getKey());
                out.writeInt(r.getValue().length);
                out.write(r.getValue());
            }
        }
    }

    /**
     * Replaces the replicated state with one written by {@link #writeTo}.
     *
     * @throws IOException unreadable, or of a format version this code does not know
     */
    public void readFrom(DataInput in) throws IOException {
        int version = in.readInt();
        if (version != FORMAT_VERSION && version != 1) {
            throw new IOException("session table format version " + version + " is not supported (this node reads 1 and "
                    + FORMAT_VERSION + ")");
        }
        long time = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("a session table with " + count + " sessions");
        }
        LinkedHashMap<Long, Session> read = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            long id = in.readLong();
            Session s = new Session();
            s.lastActive = in.readLong();
            // format 1 kept only the order; any increasing index below the next entry's keeps it (n <= its index)
            s.lastIndex = version == 1 ? i + 1 : in.readLong();
            s.firstUnacked = in.readLong();
            int results = in.readInt();
            if (results < 0) {
                throw new IOException("session " + id + " holds " + results + " results");
            }
            for (int j = 0; j < results; j++) {
                long seq = in.readLong();
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException("session " + id + " seq " + seq + " has a result of " + length + " bytes");
                }
                byte[] result = new byte[length];
                in.readFully(result);
                s.results.put(seq, result);
            }
            read.put(id, s);
        }
        sessions.clear();
        sessions.putAll(read);
        logTime = time;
    }

    /** The replicated state, as a durable {@link SessionStore} keeps it. */
    public StoredSessions stored() {
        List<StoredSessions.Session> out = new ArrayList<>(sessions.size());
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            Session s = e.getValue();
            out.add(new StoredSessions.Session(e.getKey(), s.lastActive, s.lastIndex, s.firstUnacked, s.results));
        }
        return new StoredSessions(logTime, out);
    }

    /**
     * Replaces the replicated state with {@code stored}, checking it is one a table could hold.
     *
     * @throws IllegalArgumentException it is not (sessions out of activity order, a result below its session's
     *                                  first unacknowledged seq, ...), saying what is wrong
     */
    public void load(StoredSessions stored) {
        LinkedHashMap<Long, Session> read = new LinkedHashMap<>();
        long previousIndex = 0;
        for (StoredSessions.Session row : stored.sessions()) {
            String problem = null;
            if (row.id() < 1 || row.lastIndex() < row.id()) {
                problem = "its id or last active index is out of range";
            } else if (row.lastIndex() <= previousIndex) {
                problem = "sessions are not in increasing order of last active index";
            } else if (row.lastActive() > stored.logTime()) {
                problem = "it was active at log time " + row.lastActive() + ", after the table's " + stored.logTime();
            } else if (row.firstUnacked() < 1
                    || (!row.results().isEmpty() && row.results().firstKey() < row.firstUnacked())) {
                problem = "it holds a result below its first unacknowledged seq " + row.firstUnacked();
            } else if (read.containsKey(row.id())) {
                problem = "it is listed twice";
            }
            if (problem != null) {
                throw new IllegalArgumentException("session " + row.id() + " of the stored table: " + problem);
            }
            Session s = new Session();
            s.lastActive = row.lastActive();
            s.lastIndex = row.lastIndex();
            s.firstUnacked = row.firstUnacked();
            s.results.putAll(row.results());
            read.put(row.id(), s);
            previousIndex = row.lastIndex();
        }
        sessions.clear();
        sessions.putAll(read);
        logTime = stored.logTime();
    }
}
