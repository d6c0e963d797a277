package io.raftbus.engine.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LogAPI} that forwards every call to another one, through {@link #delegate()}. Extend it to observe, count
 * or fail some calls (metrics, fault injection in tests) and override only those.
 */
public abstract class ForwardingLog implements LogAPI {

    private final LogAPI delegate;

    protected ForwardingLog(LogAPI delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The log every call is forwarded to; asked once per call, so an override can refuse or redirect calls. */
    protected LogAPI delegate() {
        return delegate;
    }

    @Override
    public HardState loadHardState() {
        return delegate().loadHardState();
    }

    @Override
    public void saveHardState(HardState state) {
        delegate().saveHardState(state);
    }

    @Override
    public long firstIndex() {
        return delegate().firstIndex();
    }

    @Override
    public long lastIndex() {
        return delegate().lastIndex();
    }

    @Override
    public long termAt(long index) {
        return delegate().termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        delegate().append(entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        return delegate().read(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        return delegate().configEntries(fromIndex);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        delegate().truncateSuffix(fromIndex);
    }

    @Override
    public Optional<Membership> loadMembership() {
        return delegate().loadMembership();
    }

    @Override
    public void saveMembership(Membership membership) {
        delegate().saveMembership(membership);
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return delegate().snapshotMeta();
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        delegate().compactPrefix(throughIndex, throughTerm);
    }

    @Override
    public void installSnapshot(SnapshotMeta snapshot) {
        delegate().installSnapshot(snapshot);
    }

    @Override
    public boolean isDurable() {
        return delegate().isDurable();
    }

    @Override
    public void close() {
        delegate().close();
    }
}
