package io.raftbus.engine.core;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A LogAPI that fails a fraction of calls with {@link LogException}, atomically (before touching the log), as a
 * full disk or an I/O error would. Loading calls used by the constructor never fail, so restarts succeed.
 */
final class FlakyLog implements LogAPI {

    /** Failures injected so far by all instances (so a test can check the fault was exercised). */
    static final AtomicLong INJECTED = new AtomicLong();

    private final InMemoryLog log;
    private final SplittableRandom random;
    private final double failureRate;

    FlakyLog(InMemoryLog log, SplittableRandom random, double failureRate) {
        this.log = log;
        this.random = random;
        this.failureRate = failureRate;
    }

    private void maybeFail(String what) {
        if (random.nextDouble() < failureRate) {
            INJECTED.incrementAndGet();
            throw new LogException("injected failure of " + what);
        }
    }

    @Override
    public HardState loadHardState() {
        return log.loadHardState();
    }

    @Override
    public void saveHardState(HardState state) {
        maybeFail("saveHardState");
        log.saveHardState(state);
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long termAt(long index) {
        maybeFail("termAt");
        return log.termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        maybeFail("append");
        log.append(entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        maybeFail("read");
        return log.read(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        maybeFail("truncateSuffix");
        log.truncateSuffix(fromIndex);
    }

    @Override
    public Optional<Membership> loadMembership() {
        return log.loadMembership();
    }

    @Override
    public void saveMembership(Membership membership) {
        log.saveMembership(membership);
    }

    @Override
    public void close() {
        log.close();
    }
}
