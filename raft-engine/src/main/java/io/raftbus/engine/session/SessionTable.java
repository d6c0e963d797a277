package io.raftbus.engine.session;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *   <li>A command of a session not in the table (never registered, or expired) is not applied:
 *       {@code UNKNOWN_SESSION}. This is why sessions are registered explicitly: a client-chosen id could not tell
 *       an expired session from a new one, and would apply a retried command twice after expiry.</li>
 *   <li>Log time is the highest leader stamp seen so far (it never goes back, whichever leader stamped); a session
 *       idle for more than {@code idleTimeoutMs} of log time is dropped, at the same index on every node.</li>
 * </ul>
 * Not thread-safe: used on the event loop only. {@link #copy()} is for snapshots.
 */
public final class SessionTable {

    private static final int FORMAT_VERSION = 1;

    private final long idleTimeoutMs;
    /** Sessions by id, least recently active first (log time only grows, so re-inserting on activity keeps order). */
    private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
    private long logTime;
    private long expired;
    private long malformed;

    /** @param idleTimeoutMs how long, in log time, a session may be idle before it expires; the same on every node */
    public SessionTable(long idleTimeoutMs) {
        if (idleTimeoutMs < 1) {
            throw new IllegalArgumentException("idleTimeoutMs must be >= 1, was " + idleTimeoutMs);
        }
        this.idleTimeoutMs = idleTimeoutMs;
    }

    private static final class Session {
        long lastActive;
        long firstUnacked = 1;
        final TreeMap<Long, byte[]> results = new TreeMap<>();

        Session copy() {
            Session s = new Session();
            s.lastActive = lastActive;
            s.firstUnacked = firstUnacked;
            s.results.putAll(results); // results are never modified
            return s;
        }
    }

    /**
     * Applies one command entry's bytes at {@code index}: advances log time, expires idle sessions, then registers,
     * keeps alive, or applies the payload through {@code application} at most once per (session, seq).
     *
     * @param application applies a payload: (index, payload) to its result; called only for a first application
     * @return the reply every submitter of this entry gets
     */
    public SessionReply apply(long index, byte[] entry, BiFunction<Long, byte[], byte[]> application) {
        if (!SessionEnvelope.isEnvelope(entry)) {
            malformed++;
            return SessionReply.of(SessionReply.Status.MALFORMED);
        }
        SessionEnvelope e = SessionEnvelope.decode(entry);
        logTime = Math.max(logTime, e.logTime());
        expireIdle();
        if (e.kind() == SessionEnvelope.Kind.REGISTER) {
            Session s = new Session();
            s.lastActive = logTime;
            sessions.put(index, s);
            return new SessionReply(SessionReply.Status.REGISTERED, index, new byte[0]);
        }
        Session s = sessions.remove(e.sessionId());
        if (s == null) {
            return SessionReply.of(SessionReply.Status.UNKNOWN_SESSION);
        }
        s.lastActive = logTime;
        sessions.put(e.sessionId(), s); // most recently active last
        if (e.firstUnacked() > s.firstUnacked) {
            s.firstUnacked = e.firstUnacked();
            s.results.headMap(e.firstUnacked()).clear();
        }
        if (e.kind() == SessionEnvelope.Kind.KEEP_ALIVE) {
            return SessionReply.of(SessionReply.Status.KEPT_ALIVE);
        }
        if (e.seq() < s.firstUnacked) {
            return SessionReply.of(SessionReply.Status.ALREADY_ACKNOWLEDGED);
        }
        byte[] recorded = s.results.get(e.seq());
        if (recorded == null) {
            recorded = application.apply(index, e.payload());
            s.results.put(e.seq(), recorded);
        }
        return new SessionReply(SessionReply.Status.APPLIED, 0, recorded);
    }

    private void expireIdle() {
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (logTime - s.lastActive <= idleTimeoutMs) {
                return;
            }
            it.remove();
            expired++;
        }
    }

    /** How long, in log time, a session may be idle before it expires. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
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

    /** Entries that were no session command, skipped (a counter). */
    public long malformedCount() {
        return malformed;
    }

    /** An independent copy of the replicated state (results are shared: they are never modified). */
    public SessionTable copy() {
        SessionTable t = new SessionTable(idleTimeoutMs);
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
        if (version != FORMAT_VERSION) {
            throw new IOException("session table format version " + version + " is not supported (this node reads "
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
}
