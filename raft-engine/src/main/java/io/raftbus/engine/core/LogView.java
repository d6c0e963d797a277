package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotMeta;

import java.util.List;

/**
 * The core's view of its durable log: every read and write goes through to the {@link LogAPI} as called, and the
 * log's end (last index and its term) is cached, updated only after a write succeeded. The term at the last index
 * is answered from the cache; every other term is read from the log. Where the log's compacted prefix ends
 * ({@link LogAPI#snapshotMeta()}) is cached too: entries up to {@link #snapshotIndex()} are no longer held, only the
 * term at that index is known, and nothing below it may be asked for. Also the searches that rely on terms never
 * decreasing along a log (bounded by the compacted prefix), and the §5.4.1 up-to-date comparison. With
 * {@link Configurations}, every append, truncation and snapshot install is reported to them after it succeeded, so
 * the configuration in force always follows the log.
 */
final class LogView {

    private final LogAPI log;
    private long lastIndex;
    private long lastTerm;
    /** Where the compacted prefix ends (0: nothing compacted) and the term there. */
    private SnapshotMeta compacted;
    /** Told of every change to the log; null: no one is. */
    private final Configurations configs;

    /** Reads the log's end and its compacted prefix from {@code log}. */
    LogView(LogAPI log) {
        this(log, null);
    }

    /** As {@link #LogView(LogAPI)}, reporting every change of the log to {@code configs} (null: none). */
    LogView(LogAPI log, Configurations configs) {
        this.log = log;
        this.configs = configs;
        this.compacted = log.snapshotMeta();
        this.lastIndex = log.lastIndex();
        this.lastTerm = log.termAt(lastIndex);
    }

    /** Last index of the compacted prefix (0: the log was never compacted). */
    long snapshotIndex() {
        return compacted.index();
    }

    /** The first index the log holds: {@code snapshotIndex() + 1}. */
    long firstIndex() {
        return compacted.index() + 1;
    }

    long lastIndex() {
        return lastIndex;
    }

    long lastTerm() {
        return lastTerm;
    }

    /**
     * The term of the entry at {@code index} (0 before the first entry): the cached one at the last index and at the
     * end of the compacted prefix.
     *
     * @throws IllegalStateException for an index below the compacted prefix (a caller's bug: its term is gone)
     */
    long termAt(long index) {
        if (index == lastIndex) {
            return lastTerm;
        }
        if (compacted.index() > 0 && index <= compacted.index()) {
            if (index == compacted.index()) {
                return compacted.term();
            }
            throw new IllegalStateException("the term at index " + index + " is compacted away (log "
                    + log.getClass().getSimpleName() + " starts after " + compacted.index() + ")");
        }
        return log.termAt(index);
    }

    /** As {@link #termAt}, or -1 if {@code index} is below the compacted prefix (its term is no longer known). */
    long termIfKnown(long index) {
        return index < compacted.index() ? -1 : termAt(index);
    }

    /**
     * Durably discards the entries through {@code throughIndex} (covered by a durable snapshot); nothing if that is at
     * or below the compacted prefix.
     */
    void compactPrefix(long throughIndex) {
        if (throughIndex <= compacted.index()) {
            return;
        }
        long term = termAt(throughIndex);
        log.compactPrefix(throughIndex, term);
        compacted = new SnapshotMeta(throughIndex, term);
    }

    /**
     * Durably makes the log continue after a snapshot installed from the leader ({@link LogAPI#installSnapshot}): a
     * matching entry keeps the suffix after it, otherwise the log is empty after the snapshot.
     */
    void installSnapshot(SnapshotMeta snapshot) {
        installSnapshot(snapshot, null);
    }

    /** As {@link #installSnapshot(SnapshotMeta)}; {@code membership} (null: unknown) is the snapshot's. */
    void installSnapshot(SnapshotMeta snapshot, Membership membership) {
        if (snapshot.index() <= compacted.index()) {
            return;
        }
        log.installSnapshot(snapshot);
        compacted = snapshot;
        lastIndex = log.lastIndex();
        lastTerm = lastIndex == snapshot.index() ? snapshot.term() : log.termAt(lastIndex);
        if (configs != null && membership != null) {
            configs.installed(snapshot.index(), membership, lastIndex > snapshot.index());
        }
    }

    /** The simple class name of the log underneath, for error messages. */
    String logName() {
        return log.getClass().getSimpleName();
    }

    /** Entries from {@code fromIndex}, before {@code toIndexExclusive}, within {@code maxBytes} (at least one). */
    List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        return log.read(fromIndex, toIndexExclusive, maxBytes);
    }

    /** The CONFIG entries from {@code fromIndex} to the end of the log, in index order. */
    List<LogEntry> configEntries(long fromIndex) {
        return log.configEntries(fromIndex);
    }

    /** Appends {@code entries} (consecutive, starting right after the last index) durably; then they end the log. */
    void append(List<LogEntry> entries) {
        log.append(entries);
        LogEntry last = entries.get(entries.size() - 1);
        lastIndex = last.index();
        lastTerm = last.term();
        if (configs != null) {
            configs.appended(entries);
        }
    }

    /** Removes every entry from {@code fromIndex} on; the entry before it ends the log. */
    void truncateFrom(long fromIndex) {
        long newLastTerm = termAt(fromIndex - 1);
        log.truncateSuffix(fromIndex);
        lastIndex = fromIndex - 1;
        lastTerm = newLastTerm;
        if (configs != null) {
            configs.truncatedFrom(fromIndex);
        }
    }

    /**
     * §5.4.1: a log ending at ({@code otherLastIndex}, {@code otherLastTerm}) is at least as up to date as this one if
     * its last term is higher, or equal with a last index at least this one's.
     */
    boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        return otherLastTerm > lastTerm || (otherLastTerm == lastTerm && otherLastIndex >= lastIndex);
    }

    /**
     * The first index of the run of {@code term} entries that ends at {@code index} (whose term is {@code term}),
     * searching no lower than {@code notBelow} (nor below the log's first index, nor 1): a binary search over terms.
     */
    long firstIndexOfTerm(long term, long index, long notBelow) {
        long lo = Math.max(firstIndex(), notBelow);
        long hi = index; // termAt(hi) == term
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (termAt(mid) >= term) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return hi;
    }

    /**
     * The last index up to {@code upTo} (and the last index) whose entry has term {@code term}, or 0 if no entry
     * there has that term (or {@code term} is 0 or less): a binary search over terms, from the end of the compacted
     * prefix (whose term is known) on.
     */
    long lastIndexOfTerm(long term, long upTo) {
        long lo = Math.max(compacted.index(), 1);
        long hi = Math.min(upTo, lastIndex);
        if (term <= 0 || hi < lo || termAt(lo) > term) {
            return 0;
        }
        while (lo < hi) { // last index in [lo, hi] with term <= term
            long mid = lo + (hi - lo + 1) / 2;
            if (termAt(mid) <= term) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return termAt(lo) == term ? lo : 0;
    }
}
