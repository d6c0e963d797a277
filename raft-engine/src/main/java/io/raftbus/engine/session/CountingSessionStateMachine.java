package io.raftbus.engine.session;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link SessionStateMachine} a node runs, counted: it counts the replies of the session commands it applies by
 * status and the sessions expired or evicted, and gives a {@link SessionStats} view to other threads. The table is touched on
 * the node's event loop only; {@link #stats()} reads it under the same lock as the applies, so it pays for counting
 * held results (one pass over the sessions) on the caller's thread, not on every apply.
 */
public final class CountingSessionStateMachine implements StateMachine {

    private final SessionStateMachine sessions;
    private final long[] replies = new long[SessionReply.Status.values().length];
    private long expirations;
    private long evictions;
    /** The table whose counters were last read (a restore replaces it, and its counters start at 0). */
    private SessionTable countedTable;
    private long countedExpired;
    private long countedEvicted;

    public CountingSessionStateMachine(SessionStateMachine sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.countedTable = sessions.table();
    }

    /** The session state machine counted. */
    public SessionStateMachine sessions() {
        return sessions;
    }

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        byte[] reply = sessions.apply(index, command);
        replies[SessionReply.statusOf(reply).ordinal()]++;
        countExpired();
        return reply;
    }

    private void countExpired() {
        SessionTable table = sessions.table();
        if (table != countedTable) { // restored from a snapshot: a new table, whose counters start at 0
            countedTable = table;
            countedExpired = 0;
            countedEvicted = 0;
        }
        long expired = table.expiredCount();
        expirations += expired - countedExpired;
        countedExpired = expired;
        long evicted = table.evictedCount();
        evictions += evicted - countedEvicted;
        countedEvicted = evicted;
    }

    /** The table's figures and this node's counts now. Safe from any thread. */
    public synchronized SessionStats stats() {
        SessionTable table = sessions.table();
        Map<SessionReply.Status, Long> byStatus = new EnumMap<>(SessionReply.Status.class);
        for (SessionReply.Status s : SessionReply.Status.values()) {
            byStatus.put(s, replies[s.ordinal()]);
        }
        return new SessionStats(table.size(), table.heldResults(), table.logTime(), expirations, evictions,
                byStatus);
    }

    @Override
    public byte[] query(byte[] query) {
        return sessions.query(query);
    }

    @Override
    public long lastAppliedIndex() {
        return sessions.lastAppliedIndex();
    }

    @Override
    public synchronized StateSnapshot captureSnapshot() {
        return sessions.captureSnapshot();
    }

    @Override
    public synchronized void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        sessions.restoreSnapshot(snapshot, in);
        countExpired();
    }
}
