package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotMeta;

import java.util.List;
import java.util.Optional;

/** A {@link LogAPI} decorator that reports every successful log write to the {@link InvariantChecker}. */
final class ObservedLog implements LogAPI {

    private final String node;
    private final LogAPI delegate;
    private final InvariantChecker checker;
    private final InvariantChecker.NodeLog view;

    ObservedLog(String node, LogAPI delegate, InvariantChecker checker, InvariantChecker.NodeLog view) {
        this.node = node;
        this.delegate = delegate;
        this.checker = checker;
        this.view = view;
    }

    @Override
    public HardState loadHardState() {
        return delegate.loadHardState();
    }

    @Override
    public void saveHardState(HardState state) {
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
        return delegate.termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        delegate.append(entries);
        checker.onAppend(node, view, entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        return delegate.read(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        checker.onTruncate(node, view, fromIndex);
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
    public SnapshotMeta snapshotMeta() {
        return delegate.snapshotMeta();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
