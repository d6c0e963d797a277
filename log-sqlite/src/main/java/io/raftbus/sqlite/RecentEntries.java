package io.raftbus.sqlite;

import io.raftbus.engine.spi.LogEntry;

import java.util.Arrays;
import java.util.List;

/**
 * The log's most recently appended entries, kept in memory after their write committed, so that the reads that
 * follow an append — the hand-out of a just-committed entry to the state machine, a follower's AppendEntries, a term
 * lookup — are answered without a query. Holds one contiguous range [{@link #first()}, {@link #last()}] of at most
 * {@code maxEntries} entries and {@code maxBytes} bytes (oldest dropped first); the owner reports every change of the
 * log's end and prefix after it committed, so whatever this holds is what the file holds. Entries are shared, not
 * copied: {@link LogEntry} payloads are immutable by convention. Not thread-safe, like the log.
 */
final class RecentEntries {

    private final LogEntry[] ring;
    private final long maxBytes;
    /** Index of the oldest entry held; nothing is held when {@code count == 0}. */
    private long first;
    private int count;
    private long bytes;

    RecentEntries(int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEntries and maxBytes must be >= 1");
        }
        this.ring = new LogEntry[maxEntries];
        this.maxBytes = maxBytes;
    }

    /** The first index held (meaningless when {@link #isEmpty()}). */
    long first() {
        return first;
    }

    /** The last index held ({@code first() - 1} when empty). */
    long last() {
        return first + count - 1;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Records entries just written after the log's previous end; a gap (or an overlap) restarts the range. */
    void appended(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (count > 0 && entries.get(0).index() != last() + 1) {
            clear();
        }
        for (LogEntry e : entries) {
            if (e.sizeBytes() > maxBytes) { // too large to keep: nothing before it may be held across the gap
                clear();
                continue;
            }
            while (count == ring.length || (count > 0 && bytes + e.sizeBytes() > maxBytes)) {
                dropOldest();
            }
            if (count == 0) {
                first = e.index();
            }
            ring[slot(e.index())] = e;
            count++;
            bytes += e.sizeBytes();
        }
    }

    /** The entry at {@code index}, or null if not held. */
    LogEntry get(long index) {
        return index >= first && index <= last() && count > 0 ? ring[slot(index)] : null;
    }

    /**
     * The entries [{@code from}, {@code toExclusive}) as the log's read returns them (at least one, then as many as
     * fit in {@code maxBytes}), or null unless all of them are held.
     */
    List<LogEntry> read(long from, long toExclusive, long maxBytes) {
        if (count == 0 || from < first || toExclusive - 1 > last() || toExclusive <= from) {
            return null;
        }
        int n = 0;
        long size = 0;
        LogEntry[] out = new LogEntry[(int) (toExclusive - from)];
        for (long i = from; i < toExclusive; i++) {
            LogEntry e = ring[slot(i)];
            size += e.sizeBytes();
            if (n > 0 && size > maxBytes) {
                break;
            }
            out[n++] = e;
        }
        return List.of(n == out.length ? out : Arrays.copyOf(out, n));
    }

    /** Forgets the entries from {@code index} on (a truncated suffix). */
    void truncateFrom(long index) {
        while (count > 0 && last() >= index) {
            int s = slot(last());
            bytes -= ring[s].sizeBytes();
            ring[s] = null;
            count--;
        }
    }

    /** Forgets the entries through {@code index} (a compacted prefix). */
    void discardThrough(long index) {
        while (count > 0 && first <= index) {
            dropOldest();
        }
    }

    /** Forgets everything. */
    void clear() {
        Arrays.fill(ring, null);
        count = 0;
        bytes = 0;
    }

    private void dropOldest() {
        int s = slot(first);
        bytes -= ring[s].sizeBytes();
        ring[s] = null;
        first++;
        count--;
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) ring.length);
    }
}
