package io.raftbus.engine;

import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Forwards to a log and counts its writes (appends, truncations, hard states, memberships, compactions). */
final class CountingLogCalls extends ForwardingLog {

    private final AtomicLong writes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    CountingLogCalls(LogAPI delegate) {
        super(delegate);
    }

    long writes() {
        return writes.get();
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public void saveHardState(HardState state) {
        writes.incrementAndGet();
        super.saveHardState(state);
    }

    @Override
    public void append(List<LogEntry> entries) {
        writes.incrementAndGet();
        super.append(entries);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        writes.incrementAndGet();
        super.truncateSuffix(fromIndex);
    }

    @Override
    public void saveMembership(Membership membership) {
        writes.incrementAndGet();
        super.saveMembership(membership);
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        writes.incrementAndGet();
        super.compactPrefix(throughIndex, throughTerm);
    }

    @Override
    public void close() {
        closed.set(true);
        super.close();
    }
}
