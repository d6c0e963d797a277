package io.raftbus.engine.memory;

import io.raftbus.engine.message.LogEntries;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotMeta;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link LogAPI} kept in memory: for tests and the simulation, where "durable" means "survives a simulated crash
 * of the node that uses it" (the simulation keeps the instance across a restart), so it reports itself
 * {@linkplain #isDurable() durable}; its contents do not outlive the process. Supports compaction
 * ({@link #compactPrefix}, {@link #installSnapshot}): the entries after {@link #snapshotMeta()} are held in
 * {@link EntryPages}.
 * Not thread-safe.
 */
public final class InMemoryLog implements LogAPI {

    /** Entries from {@code snapshot.index() + 1} on. */
    private final EntryPages entries = new EntryPages();
    /**
     * The largest {@link LogEntry#sizeBytes()} ever appended (never lowered): a read whose range cannot exceed its
     * byte bound at this size each is cut by count alone, without visiting each entry and its payload to add sizes.
     */
    private long largestEntryBytes;
    private SnapshotMeta snapshot = SnapshotMeta.NONE;
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
        return snapshot.index() + 1;
    }

    @Override
    public long lastIndex() {
        checkOpen();
        return snapshot.index() + entries.size();
    }

    @Override
    public long termAt(long index) {
        checkOpen();
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index == 0) {
            return 0;
        }
        if (index < snapshot.index() || index > lastIndex()) {
            throw new IndexOutOfBoundsException("no term at index " + index + " (log holds [" + firstIndex() + ", "
                    + lastIndex() + "], compacted through " + snapshot.index() + ")");
        }
        return at(index).term();
    }

    @Override
    public void append(List<LogEntry> batch) {
        checkOpen();
        long expected = lastIndex() + 1;
        for (LogEntry e : batch) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("append expected index " + expected + ", got " + e.index());
            }
            expected++;
        }
        for (int i = 0; i < batch.size(); i++) {
            LogEntry e = batch.get(i);
            largestEntryBytes = Math.max(largestEntryBytes, e.sizeBytes());
            entries.add(e);
        }
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        checkOpen();
        if (fromIndex < firstIndex() || toIndexExclusive < fromIndex || toIndexExclusive > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("cannot read [" + fromIndex + ", " + toIndexExclusive
                    + ") from a log holding [" + firstIndex() + ", " + lastIndex() + "]");
        }
        int first = (int) (fromIndex - snapshot.index() - 1);
        long wanted = toIndexExclusive - fromIndex;
        int count = 0;
        if (wanted == 0 || largestEntryBytes <= maxBytes / wanted) {
            count = (int) wanted; // even at the largest size each, the range is within maxBytes
        } else {
            long bytes = 0;
            for (int i = first; i < first + wanted; i++) {
                bytes += entries.get(i).sizeBytes();
                if (count > 0 && bytes > maxBytes) {
                    break;
                }
                count++;
            }
        }
        // one copy, as an immutable list that an AppendEntriesRequest keeps as is instead of copying it again
        return LogEntries.adopt(entries.copy(first, count));
    }

    /** One pass over the entries held in memory, without copying batches. */
    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        checkOpen();
        if (fromIndex < firstIndex() || fromIndex > lastIndex() + 1) {
            throw new IndexOutOfBoundsException("cannot read CONFIG entries from " + fromIndex + " of a log holding ["
                    + firstIndex() + ", " + lastIndex() + "]");
        }
        List<LogEntry> out = new ArrayList<>();
        for (int i = (int) (fromIndex - snapshot.index() - 1); i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            if (e.type() == EntryType.CONFIG) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        checkOpen();
        if (fromIndex < 1) {
            throw new IndexOutOfBoundsException("cannot truncate from index " + fromIndex);
        }
        if (fromIndex <= snapshot.index()) {
            throw new IllegalArgumentException("cannot truncate from index " + fromIndex
                    + ": the log is compacted through " + snapshot.index());
        }
        while (lastIndex() >= fromIndex) {
            entries.removeLast();
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

    @Override
    public SnapshotMeta snapshotMeta() {
        checkOpen();
        return snapshot;
    }

    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        checkOpen();
        if (throughIndex <= snapshot.index()) {
            return;
        }
        if (throughIndex > lastIndex()) {
            throw new IllegalArgumentException("cannot compact through " + throughIndex + ": last index is "
                    + lastIndex());
        }
        long term = at(throughIndex).term();
        if (term != throughTerm) {
            throw new IllegalArgumentException("cannot compact through " + throughIndex + " of term " + throughTerm
                    + ": the entry there has term " + term);
        }
        dropThrough(throughIndex);
        snapshot = new SnapshotMeta(throughIndex, throughTerm);
    }

    @Override
    public void installSnapshot(SnapshotMeta meta) {
        checkOpen();
        Objects.requireNonNull(meta, "snapshot");
        if (meta.index() <= snapshot.index()) {
            return;
        }
        if (meta.index() <= lastIndex() && at(meta.index()).term() == meta.term()) {
            dropThrough(meta.index());
        } else {
            entries.clear();
        }
        snapshot = meta;
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

    private LogEntry at(long index) {
        return entries.get((int) (index - snapshot.index() - 1));
    }

    private void dropThrough(long index) {
        entries.removeFirst((int) (index - snapshot.index()));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("log is closed");
        }
    }
}
