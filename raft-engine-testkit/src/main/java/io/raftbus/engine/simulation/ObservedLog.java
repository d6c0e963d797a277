package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.SnapshotMeta;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A {@link LogAPI} decorator that reports every successful log write (and every reset to a snapshot) to the
 * {@link InvariantChecker}, and (when
 * armed) fails a fraction of calls with {@link LogException} before touching the log, as a full disk or an I/O error
 * would: the contract's "all or nothing". An append may also crash the node before it writes anything, when the
 * simulation's {@code crashBeforeAppend} says so ({@link SimulatedCrash}).
 */
final class ObservedLog extends ForwardingLog {

    private final String node;
    private final InvariantChecker checker;
    private final InvariantChecker.NodeLog view;
    private final SplittableRandom failures;
    private final double failureRate;
    private final BooleanSupplier crashBeforeAppend;
    private boolean armed;

    ObservedLog(String node, LogAPI delegate, InvariantChecker checker, InvariantChecker.NodeLog view,
                SplittableRandom failures, double failureRate, BooleanSupplier crashBeforeAppend) {
        super(delegate);
        this.crashBeforeAppend = crashBeforeAppend;
        this.node = node;
        this.checker = checker;
        this.view = view;
        this.failures = failures;
        this.failureRate = failureRate;
    }

    /** From now on, fail calls at the configured rate (not while the node boots, so a restart succeeds). */
    void arm() {
        armed = failureRate > 0;
    }

    private void maybeFail(String what) {
        if (armed && failures.nextDouble() < failureRate) {
            throw new LogException("simulated failure of " + what + " on " + node);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        maybeFail("saveHardState");
        super.saveHardState(state);
    }

    @Override
    public long termAt(long index) {
        maybeFail("termAt");
        return super.termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (crashBeforeAppend.getAsBoolean()) {
            throw new SimulatedCrash(node + " crashed before appending entries " + entries.get(0).index() + ".."
                    + entries.get(entries.size() - 1).index());
        }
        maybeFail("append");
        super.append(entries);
        checker.onAppend(node, view, entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        maybeFail("read");
        return super.read(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        maybeFail("configEntries");
        return super.configEntries(fromIndex);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        maybeFail("truncateSuffix");
        checker.onTruncate(node, view, fromIndex);
        super.truncateSuffix(fromIndex);
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        maybeFail("compactPrefix");
        super.compactPrefix(throughIndex, throughTerm);
    }

    @Override
    public void installSnapshot(SnapshotMeta snapshot) {
        maybeFail("installSnapshot");
        long before = super.snapshotMeta().index();
        super.installSnapshot(snapshot);
        if (snapshot.index() > before) {
            checker.onInstallSnapshot(node, view, snapshot.index(), super.lastIndex());
        }
    }
}
