package io.raftbus.engine.message;

import io.raftbus.engine.spi.LogEntry;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of log entries over a range of an array that nobody writes any more: an
 * {@link AppendEntriesRequest} keeps it as is instead of copying it, and its {@link #subList} is another such list
 * over the same array (no copy either). A leader builds its group commit's batch as one, so each follower's
 * AppendEntries sent ahead of the append shares the batch's array; a log may return its reads as one (the test log
 * does), so the AppendEntries built from a read and the committed entries handed out share the read's array.
 * Elements are never null; every mutator throws {@link UnsupportedOperationException}.
 */
public final class LogEntries extends AbstractList<LogEntry> implements RandomAccess {

    private static final LogEntries EMPTY = new LogEntries(new LogEntry[0], 0, 0);

    private final LogEntry[] entries;
    private final int from;
    private final int size;

    private LogEntries(LogEntry[] entries, int from, int size) {
        this.entries = entries;
        this.from = from;
        this.size = size;
    }

    /**
     * A list over {@code entries}, which the caller hands over: neither it nor anyone else may write the array
     * afterwards (it is not copied).
     *
     * @throws NullPointerException if an element is null
     */
    public static LogEntries adopt(LogEntry[] entries) {
        for (LogEntry e : entries) {
            Objects.requireNonNull(e, "entry");
        }
        return entries.length == 0 ? EMPTY : new LogEntries(entries, 0, entries.length);
    }

    /**
     * {@code list} itself if it is a list of this kind or an unmodifiable list of {@link List#of}/{@link List#copyOf}
     * (kept as is), else an immutable copy of it.
     *
     * @throws NullPointerException if an element is null
     */
    public static List<LogEntry> immutable(List<LogEntry> list) {
        return list instanceof LogEntries ? list : List.copyOf(list);
    }

    @Override
    public LogEntry get(int index) {
        Objects.checkIndex(index, size);
        return entries[from + index];
    }

    @Override
    public int size() {
        return size;
    }

    /** The entries from {@code fromIndex} (inclusive) to {@code toIndex} (exclusive): a view sharing the array. */
    @Override
    public LogEntries subList(int fromIndex, int toIndex) {
        Objects.checkFromToIndex(fromIndex, toIndex, size);
        return fromIndex == 0 && toIndex == size ? this : new LogEntries(entries, from + fromIndex, toIndex - fromIndex);
    }
}
