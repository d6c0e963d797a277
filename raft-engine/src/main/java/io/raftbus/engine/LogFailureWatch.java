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

/**
 * The node's log as the protocol core and the event loop see it: forwards every call, and remembers the first
 * {@linkplain LogException#isPermanent() permanent} {@link LogException} any call threw, even one the core caught
 * and turned into a failed command, so that the event loop can stop the node on it. Every call passes the node's
 * {@link CrashGate}: after {@link RaftNode#crash()} none reaches the log (closing it excepted). Inside the event
 * loop's window ({@link CrashGate#open()}) a call costs a read of the shut flag: no lock, no lambda, no boxed result.
 * Every {@link LogAPI} call is watched this way except {@code isDurable} (a property) and {@code close}.
 * Used from the event-loop thread only (and from the thread that builds the node, before the loop starts).
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

    /** Remembers {@code e} if it is the first permanent failure; returns it for the caller to rethrow. */
    private LogException seen(LogException e) {
        if (e.isPermanent() && permanentFailure == null) {
            permanentFailure = e;
        }
        return e;
    }

    @Override
    public HardState loadHardState() {
        boolean entered = crashGate.enter();
        try {
            return super.loadHardState();
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        boolean entered = crashGate.enter();
        try {
            super.saveHardState(state);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public long firstIndex() {
        boolean entered = crashGate.enter();
        try {
            return super.firstIndex();
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public long lastIndex() {
        boolean entered = crashGate.enter();
        try {
            return super.lastIndex();
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public long termAt(long index) {
        boolean entered = crashGate.enter();
        try {
            return super.termAt(index);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void append(List<LogEntry> entries) {
        boolean entered = crashGate.enter();
        try {
            super.append(entries);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        boolean entered = crashGate.enter();
        try {
            return super.read(fromIndex, toIndexExclusive, maxBytes);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        boolean entered = crashGate.enter();
        try {
            return super.configEntries(fromIndex);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        boolean entered = crashGate.enter();
        try {
            super.truncateSuffix(fromIndex);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public Optional<Membership> loadMembership() {
        boolean entered = crashGate.enter();
        try {
            return super.loadMembership();
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void saveMembership(Membership membership) {
        boolean entered = crashGate.enter();
        try {
            super.saveMembership(membership);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        boolean entered = crashGate.enter();
        try {
            return super.snapshotMeta();
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        boolean entered = crashGate.enter();
        try {
            super.compactPrefix(throughIndex, throughTerm);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }

    @Override
    public void installSnapshot(SnapshotMeta snapshot) {
        boolean entered = crashGate.enter();
        try {
            super.installSnapshot(snapshot);
        } catch (LogException e) {
            throw seen(e);
        } finally {
            crashGate.leave(entered);
        }
    }
}
