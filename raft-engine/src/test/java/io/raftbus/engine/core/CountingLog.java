package io.raftbus.engine.core;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An InMemoryLog that records append batch sizes and can be told to fail appends. */
final class CountingLog implements LogAPI {

    final InMemoryLog delegate = new InMemoryLog();
    final List<Integer> appendBatchSizes = new ArrayList<>();
    boolean failAppends;
    boolean failSaveHardState;
    /** If positive: the termAt call that many calls from now fails (1 = the next one). */
    int failTermAtCall;

    @Override
    public HardState loadHardState() {
        return delegate.loadHardState();
    }

    @Override
    public void saveHardState(HardState state) {
        if (failSaveHardState) {
            throw new LogException("disk full (test)");
        }
        delegate.saveHardState(state);
    }

    @Override
    public long firstIndex() {
        return delegate.firstIndex();
    }

    @Override
    public long lastIndex() {
        return delegate.lastIndex();
    }

    @Override
    public long termAt(long index) {
        if (failTermAtCall > 0 && --failTermAtCall == 0) {
            throw new LogException("read error (test)");
        }
        return delegate.termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (failAppends) {
            throw new LogException("disk full (test)");
        }
        appendBatchSizes.add(entries.size());
        delegate.append(entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        return delegate.read(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        delegate.truncateSuffix(fromIndex);
    }

    @Override
    public Optional<Membership> loadMembership() {
        return delegate.loadMembership();
    }

    @Override
    public void saveMembership(Membership membership) {
        delegate.saveMembership(membership);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
