package io.raftbus.engine;

import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotMeta;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node's log as the protocol core and the event loop see it: forwards every call, and remembers the first
 * {@linkplain LogException#isPermanent() permanent} {@link LogException} any call threw, even one the core caught
 * and turned into a failed command, so that the event loop can stop the node on it. Every call passes the node's
 * {@link CrashGate}: after {@link RaftNode#crash()} none reaches the log (closing it excepted). Used from the
 * event-loop thread only.
 */
final class LogFailureWatch extends ForwardingLog {

    private final CrashGate crashGate;
    private LogException permanentFailure;

    LogFailureWatch(LogAPI log, CrashGate crashGate) {
        super(log);
        this.crashGate = crashGate;
    }

    /** The first permanent failure seen, or null while the log works. */
    LogException permanentFailure() {
        return permanentFailure;
    }

    private <T> T watch(Supplier<T> call) {
        try {
            return crashGate.pass(call);
        } catch (LogException e) {
            if (e.isPermanent() && permanentFailure == null) {
                permanentFailure = e;
            }
            throw e;
        }
    }

    private void watch(Runnable call) {
        watch(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public HardState loadHardState() {
        return watch(super::loadHardState);
    }

    @Override
    public void saveHardState(HardState state) {
        watch(() -> super.saveHardState(state));
    }

    @Override
    public long firstIndex() {
        return watch(super::firstIndex);
    }

    @Override
    public long lastIndex() {
        return watch(super::lastIndex);
    }

    @Override
    public long termAt(long index) {
        return watch(() -> super.termAt(index));
    }

    @Override
    public void append(List<LogEntry> entries) {
        watch(() -> super.append(entries));
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        return watch(() -> super.read(fromIndex, toIndexExclusive, maxBytes));
    }

    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        return watch(() -> super.configEntries(fromIndex));
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        watch(() -> super.truncateSuffix(fromIndex));
    }

    @Override
    public Optional<Membership> loadMembership() {
        return watch(super::loadMembership);
    }

    @Override
    public void saveMembership(Membership membership) {
        watch(() -> super.saveMembership(membership));
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return watch(super::snapshotMeta);
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        watch(() -> super.compactPrefix(throughIndex, throughTerm));
    }
}
