package io.raftbus.engine.session;

import java.util.ArrayList;
import java.util.List;

/**
 * What applying one entry changed in a {@link SessionTable}, for a durable {@link SessionStore} to save in the same
 * transaction as the application's effects: the log time, the sessions dropped (expired, evicted by the session cap,
 * closed), the one session touched (registered or active: its row, and its results below {@code firstUnacked} are
 * dropped) and the result newly held for it, if any. Filled by {@link SessionTable#apply}; read by the store.
 */
public final class SessionChanges {

    /** The touched session's row after the entry. */
    public record Touched(long id, long lastActive, long lastIndex, long firstUnacked) {
    }

    private long logTime;
    private final List<Long> removed = new ArrayList<>(2);
    private Touched touched;
    private long heldSeq;
    private byte[] heldResult;

    void logTime(long logTime) {
        this.logTime = logTime;
    }

    void removed(long sessionId) {
        removed.add(sessionId);
    }

    void touched(Touched row) {
        touched = row;
    }

    void held(long seq, byte[] result) {
        heldSeq = seq;
        heldResult = result;
    }

    /** The log time after the entry. */
    public long logTime() {
        return logTime;
    }

    /** Sessions dropped with all their results (expired, evicted, closed). */
    public List<Long> removed() {
        return removed;
    }

    /** The session registered or active at this entry, or null; results below its firstUnacked are dropped. */
    public Touched touched() {
        return touched;
    }

    /** The seq of the result newly held for the touched session; 0 if none. */
    public long heldSeq() {
        return heldSeq;
    }

    /** The result newly held for the touched session; null if none. */
    public byte[] heldResult() {
        return heldResult;
    }
}
