package io.raftbus.engine.memory;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LogAPI} kept in memory: for tests and the simulation, where "durable" means "survives a simulated crash
 * of the node that uses it" (the simulation keeps the instance across a restart), so it reports itself
 * {@linkplain #isDurable() durable}; its contents do not outlive the process. Not thread-safe.
 */
public final class InMemoryLog implements LogAPI {

    private final List<LogEntry> entries = new ArrayList<>();
    private HardState hardState = HardState.INITIAL;
    private Membership membership;
    private boolean closed;

    @Override
    public HardState loadHardState() {
        checkOpen();
        return hardState;
    }

    @Override
    public void saveHardState(HardState state) {
        checkOpen();
        hardState = Objects.requireNonNull(state, "state");
    }

    @Override
    public long firstIndex() {
        checkOpen();
        return 1;
    }

    @Override
    public long lastIndex() {
        checkOpen();
        return entries.size();
    }

    @Override
    public long termAt(long index) {
        checkOpen();
        if (index == 0) {
            return 0;
        }
        if (index < 0 || index > entries.size()) {
            throw new IndexOutOfBoundsException("no entry at index " + index + " (last index " + entries.size() + ")");
        }
        return entries.get((int) index - 1).term();
    }

    @Override
    public void append(List<LogEntry> batch) {
        checkOpen();
        long expected = entries.size() + 1L;
        for (LogEntry e : batch) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("append expected index " + expected + ", got " + e.index());
            }
            expected++;
        }
        entries.addAll(batch);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        checkOpen();
        if (fromIndex < 1 || toIndexExclusive < fromIndex || toIndexExclusive > entries.size() + 1L) {
            throw new IndexOutOfBoundsException("cannot read [" + fromIndex + ", " + toIndexExclusive
                    + ") from a log holding [1, " + entries.size() + "]");
        }
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = fromIndex; i < toIndexExclusive; i++) {
            LogEntry e = entries.get((int) i - 1);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        checkOpen();
        if (fromIndex < 1) {
            throw new IndexOutOfBoundsException("cannot truncate from index " + fromIndex);
        }
        while (entries.size() >= fromIndex) {
            entries.remove(entries.size() - 1);
        }
    }

    @Override
    public Optional<Membership> loadMembership() {
        checkOpen();
        return Optional.ofNullable(membership);
    }

    @Override
    public void saveMembership(Membership m) {
        checkOpen();
        membership = Objects.requireNonNull(m, "membership");
    }

    /** Marks the log closed; a later {@link #reopen()} models a restart that finds the same durable contents. */
    @Override
    public void close() {
        closed = true;
    }

    /** Reopens a closed log with its contents intact, as a restarted process would find a durable log. */
    public InMemoryLog reopen() {
        closed = false;
        return this;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log is closed");
        }
    }
}
