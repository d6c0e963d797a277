package io.raftbus.engine.spi;

import io.raftbus.engine.memory.InMemoryLog;

import java.util.List;
import java.util.Optional;

/**
 * The LogAPI contract against a log that keeps {@link LogAPI#configEntries}'s default (one pass over the log in
 * batches): an {@link InMemoryLog} behind a plain delegation that overrides every other method.
 */
class DefaultConfigEntriesContractTest extends LogApiContract {

    @Override
    protected LogAPI newLog() {
        return new DefaultScanLog(new InMemoryLog());
    }

    @Override
    protected LogAPI reopen(LogAPI closing) {
        closing.close();
        return new DefaultScanLog(((DefaultScanLog) closing).log.reopen());
    }

    /** Every call but configEntries goes to the InMemoryLog. */
    private static final class DefaultScanLog implements LogAPI {
        private final InMemoryLog log;

        DefaultScanLog(InMemoryLog log) {
            this.log = log;
        }

        @Override
        public HardState loadHardState() {
            return log.loadHardState();
        }

        @Override
        public void saveHardState(HardState state) {
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
            return log.termAt(index);
        }

        @Override
        public void append(List<LogEntry> entries) {
            log.append(entries);
        }

        @Override
        public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
            return log.read(fromIndex, toIndexExclusive, maxBytes);
        }

        @Override
        public void truncateSuffix(long fromIndex) {
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
        public SnapshotMeta snapshotMeta() {
            return log.snapshotMeta();
        }

        @Override
        public void compactPrefix(long throughIndex, long throughTerm) {
            log.compactPrefix(throughIndex, throughTerm);
        }

        @Override
        public void installSnapshot(SnapshotMeta snapshot) {
            log.installSnapshot(snapshot);
        }

        @Override
        public void close() {
            log.close();
        }
    }
}
