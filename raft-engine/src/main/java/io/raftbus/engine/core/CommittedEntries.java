package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogEntry;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The committed entries of one {@link Ready}, in index order, each to be applied exactly once, with the waiters each
 * settles: the entries as the log read returned them (not copied) and one array of waiters for the whole range,
 * allocated only once an entry has a waiter (most entries on followers have none). The runtime reads it through
 * {@link #entry}, {@link #waiterCount} and {@link #waiter}, which allocate nothing; as a {@code List} it shows one
 * {@link CommittedEntry} per entry, built on each {@link #get} (for tests and tools).
 *
 * <p>The core fills it while handing entries out and drops waiters whose proposal settled already; once in a
 * {@link Ready} it does not change.
 */
public final class CommittedEntries extends AbstractList<CommittedEntry> implements RandomAccess {

    /** No entries. */
    public static final CommittedEntries NONE = new CommittedEntries(List.of());

    private final List<LogEntry> entries;
    /** Null while no entry has a waiter; else per entry: null, a {@link Waiter}, or a {@code List<Waiter>}. */
    private Object[] waiters;

    CommittedEntries(List<LogEntry> entries) {
        this.entries = entries;
    }

    /** The entries of {@code committed}, with their waiters (for tests and tools that build a {@link Ready}). */
    public static CommittedEntries of(List<CommittedEntry> committed) {
        if (committed instanceof CommittedEntries range) {
            return range;
        }
        List<LogEntry> entries = new ArrayList<>(committed.size());
        for (CommittedEntry c : committed) {
            entries.add(c.entry());
        }
        CommittedEntries out = new CommittedEntries(List.copyOf(entries));
        for (int i = 0; i < committed.size(); i++) {
            List<Waiter> ws = committed.get(i).waiters();
            for (int k = 0; k < ws.size(); k++) {
                out.addWaiter(i, ws.get(k));
            }
        }
        return out;
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** The {@code i}-th entry of the range. */
    public LogEntry entry(int i) {
        return entries.get(i);
    }

    /** How many waiters the {@code i}-th entry settles. */
    public int waiterCount(int i) {
        Object at = waiters == null ? null : waiters[i];
        if (at == null) {
            return 0;
        }
        return at instanceof Waiter ? 1 : listAt(i).size();
    }

    /** The {@code k}-th waiter of the {@code i}-th entry, in the order they were added. */
    public Waiter waiter(int i, int k) {
        Object at = waiters[i];
        if (at instanceof Waiter w) {
            if (k != 0) {
                throw new IndexOutOfBoundsException(k);
            }
            return w;
        }
        return listAt(i).get(k);
    }

    /** The {@code i}-th entry and its waiters, as a new record. */
    @Override
    public CommittedEntry get(int i) {
        int n = waiterCount(i);
        List<Waiter> ws = n == 0 ? List.of() : n == 1 ? List.of(waiter(i, 0)) : List.copyOf(listAt(i));
        return new CommittedEntry(entries.get(i), ws);
    }

    /** The last entry of the range (it must not be empty). */
    LogEntry last() {
        return entries.get(entries.size() - 1);
    }

    /** Adds {@code waiter} to the {@code i}-th entry's, after those added before. */
    void addWaiter(int i, Waiter waiter) {
        if (waiters == null) {
            waiters = new Object[entries.size()];
        }
        Object at = waiters[i];
        if (at == null) {
            waiters[i] = waiter;
        } else if (at instanceof Waiter first) {
            List<Waiter> several = new ArrayList<>(2);
            several.add(first);
            several.add(waiter);
            waiters[i] = several;
        } else {
            listAt(i).add(waiter);
        }
    }

    /** Removes the {@code k}-th waiter of the {@code i}-th entry. */
    void removeWaiter(int i, int k) {
        Object at = waiters[i];
        if (at instanceof Waiter) {
            if (k != 0) {
                throw new IndexOutOfBoundsException(k);
            }
            waiters[i] = null;
            return;
        }
        List<Waiter> several = listAt(i);
        several.remove(k);
        if (several.isEmpty()) {
            waiters[i] = null;
        }
    }

    @SuppressWarnings("unchecked")
    private List<Waiter> listAt(int i) {
        return (List<Waiter>) waiters[i];
    }
}
