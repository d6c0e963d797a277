package io.raftbus.engine.memory;

import io.raftbus.engine.spi.LogEntry;

import java.util.Arrays;

/**
 * The entries an {@link InMemoryLog} holds, in order, in pages of {@value #PAGE} entries. Appending never copies
 * what is held (a list copies all of it each time it grows, which at a few hundred thousand entries is a copy of
 * megabytes on the appending thread), and no capacity beyond the last page is held. Like a list's capacity, pages
 * are kept once made: those a dropped prefix emptied are cleared and reused for later entries. Positions are 0-based
 * from the first entry held. Not thread-safe.
 */
final class EntryPages {

    private static final int SHIFT = 10;
    static final int PAGE = 1 << SHIFT;
    private static final int MASK = PAGE - 1;
    private static final int INITIAL_PAGES = 4;

    private LogEntry[][] entries = new LogEntry[INITIAL_PAGES][];
    /** Where the first entry held sits in the first page: {@code 0 <= start < PAGE}. */
    private int start;
    private int size;

    int size() {
        return size;
    }

    /** The entry at {@code position} (0 is the first held; the caller keeps within {@link #size()}). */
    LogEntry get(int position) {
        int p = start + position;
        return entries[p >>> SHIFT][p & MASK];
    }

    /** Adds {@code entry} after the last one. */
    void add(LogEntry entry) {
        int p = start + size;
        int page = p >>> SHIFT;
        if (page == entries.length) {
            entries = Arrays.copyOf(entries, page * 2); // the page references only, not the entries
        }
        if (entries[page] == null) {
            entries[page] = new LogEntry[PAGE];
        }
        entries[page][p & MASK] = entry;
        size++;
    }

    /** Removes the last entry (there is one). */
    void removeLast() {
        size--;
        int p = start + size;
        entries[p >>> SHIFT][p & MASK] = null;
    }

    /** Removes the first {@code count} entries (at most {@link #size()}). */
    void removeFirst(int count) {
        int newStart = start + count;
        int dropped = newStart >>> SHIFT;
        // the page the new first entry sits in may hold removed entries before it: let them be collected
        for (int p = Math.max(start, dropped << SHIFT); p < newStart; p++) {
            entries[p >>> SHIFT][p & MASK] = null;
        }
        if (dropped > 0) {
            // the emptied pages go to the back, cleared, to be filled again
            LogEntry[][] emptied = Arrays.copyOf(entries, dropped);
            int kept = entries.length - dropped;
            System.arraycopy(entries, dropped, entries, 0, kept);
            for (int k = 0; k < dropped; k++) {
                if (emptied[k] != null) {
                    Arrays.fill(emptied[k], null);
                }
                entries[kept + k] = emptied[k];
            }
        }
        start = newStart & MASK;
        size -= count;
    }

    /** Removes every entry (the pages are kept). */
    void clear() {
        removeFirst(size);
    }

    /** A new array of the {@code count} entries from {@code position}. */
    LogEntry[] copy(int position, int count) {
        LogEntry[] out = new LogEntry[count];
        int done = 0;
        while (done < count) {
            int p = start + position + done;
            int n = Math.min(count - done, PAGE - (p & MASK));
            System.arraycopy(entries[p >>> SHIFT], p & MASK, out, done, n);
            done += n;
        }
        return out;
    }
}
