package io.raftbus.engine.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's durable Raft storage: the hard state (term and vote), the log entries, where its compacted prefix ends
 * ({@link #snapshotMeta()}) and membership.
 *
 * <p>Contract, relied on for safety:
 * <ul>
 *   <li>Every mutating method is durable when it returns (it survives a process crash or power loss, as far as the
 *       implementation's documented durability setting promises), and atomic: on an exception the log is as it
 *       was before the call.</li>
 *   <li>Indexes are contiguous: entries exist for every index in [{@link #firstIndex()}, {@link #lastIndex()}].</li>
 *   <li>Called from one thread at a time (the node's event loop); implementations need not be thread-safe unless
 *       they document otherwise.</li>
 *   <li>A failure is a {@link LogException}; one that means the log can no longer work until restarted says so
 *       with {@link LogException#isPermanent()}, and the node then stops.</li>
 * </ul>
 */
public interface LogAPI extends AutoCloseable {

    /** The durable term and vote; {@link HardState#INITIAL} for a new log. */
    HardState loadHardState();

    /** Durably and atomically stores term and vote together. */
    void saveHardState(HardState state);

    /**
     * The first index held in the log: {@code snapshotMeta().index() + 1} (1 for a log never compacted).
     */
    long firstIndex();

    /** The last index held, or {@code snapshotMeta().index()} when no entries follow the snapshot (0 for new). */
    long lastIndex();

    /**
     * The term of the entry at {@code index}, for {@code index} in [{@code snapshotMeta().index()},
     * {@link #lastIndex()}]; 0 for index 0.
     *
     * @throws IndexOutOfBoundsException for any other index
     */
    long termAt(long index);

    /**
     * Appends a batch, durably and atomically (all entries or none). The first entry's index must be
     * {@code lastIndex() + 1} and the batch contiguous.
     *
     * @throws IllegalArgumentException if the batch does not continue the log
     * @throws LogException if the batch could not be made durable (nothing of it is then in the log)
     */
    void append(List<LogEntry> entries);

    /**
     * Reads entries from {@code fromIndex} (inclusive) up to {@code toIndexExclusive}, stopping once their total
     * {@link LogEntry#sizeBytes()} would exceed {@code maxBytes}; returns at least one entry whenever
     * {@code fromIndex < toIndexExclusive}, even if that entry alone exceeds {@code maxBytes}.
     *
     * @throws IndexOutOfBoundsException if the range is not within [{@link #firstIndex()}, {@link #lastIndex()} + 1]
     */
    List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes);

    /**
     * The {@link EntryType#CONFIG} entries from {@code fromIndex} to {@link #lastIndex()}, in index order: what a
     * node reads at start to rebuild the configuration in force. The default reads every entry of that range
     * ({@link #read} in batches of {@value #CONFIG_SCAN_BATCH_BYTES} bytes) and keeps the CONFIG ones, one pass over
     * the log; a log that can find them without reading the others (an index on the entry type) should override it.
     *
     * @throws IndexOutOfBoundsException if {@code fromIndex} is not within [{@link #firstIndex()},
     *                                   {@link #lastIndex()} + 1]
     */
    default List<LogEntry> configEntries(long fromIndex) {
        long last = lastIndex();
        if (fromIndex < firstIndex() || fromIndex > last + 1) {
            throw new IndexOutOfBoundsException("cannot read CONFIG entries from " + fromIndex + " of a log holding ["
                    + firstIndex() + ", " + last + "]");
        }
        List<LogEntry> configs = new ArrayList<>();
        for (long from = fromIndex; from <= last; ) {
            List<LogEntry> batch = read(from, last + 1, CONFIG_SCAN_BATCH_BYTES);
            for (LogEntry e : batch) {
                if (e.type() == EntryType.CONFIG) {
                    configs.add(e);
                }
            }
            from = batch.get(batch.size() - 1).index() + 1;
        }
        return configs;
    }

    /** The batch size, in {@link LogEntry#sizeBytes()}, of the default {@link #configEntries} pass: 1 MiB. */
    long CONFIG_SCAN_BATCH_BYTES = 1 << 20;

    /** Durably removes every entry with index &gt;= {@code fromIndex} (a conflicting, uncommitted suffix). */
    void truncateSuffix(long fromIndex);

    /**
     * The stored start membership, if one was stored: the one the node was first started with. The configuration in
     * force comes from the log's CONFIG entries and the latest snapshot on top of it.
     */
    Optional<Membership> loadMembership();

    /** Durably stores the start membership (the core does so once, on a fresh log). */
    void saveMembership(Membership membership);

    /** Where the compacted prefix ends; {@link SnapshotMeta#NONE} for a log never compacted. */
    default SnapshotMeta snapshotMeta() {
        return SnapshotMeta.NONE;
    }

    /**
     * Durably discards the entries up to and including {@code throughIndex}, whose term is {@code throughTerm}; a
     * durable snapshot at {@code throughIndex} or later covers them. Afterwards {@link #snapshotMeta()} is
     * {@code (throughIndex, throughTerm)} and {@link #firstIndex()} is {@code throughIndex + 1}; entries after it
     * stay. Does nothing if {@code throughIndex} is at or below {@code snapshotMeta().index()}. Must not hold up
     * later appends for long (delete in batches, reclaim space incrementally).
     *
     * @throws IllegalArgumentException if {@code throughIndex > lastIndex()} or the entry there has another term
     * @throws UnsupportedOperationException by default: this log cannot be compacted (a node then takes no snapshots)
     */
    default void compactPrefix(long throughIndex, long throughTerm) {
        throw compactionNotSupported();
    }

    /**
     * Durably makes the log continue after a snapshot received from the leader, at {@code snapshot.index()} of
     * {@code snapshot.term()}: if the log holds that entry with that term, the entries up to it are discarded and
     * those after it kept (as {@link #compactPrefix}); otherwise every entry is discarded and the log is empty after
     * it ({@link #lastIndex()} is {@code snapshot.index()}). Afterwards {@link #snapshotMeta()} is {@code snapshot}.
     * Does nothing if {@code snapshot.index()} is at or below {@code snapshotMeta().index()}. Atomic: after a crash
     * the log is as before or as after.
     *
     * @throws UnsupportedOperationException by default: this log cannot be compacted
     */
    default void installSnapshot(SnapshotMeta snapshot) {
        throw compactionNotSupported();
    }

    /** The error {@link #compactPrefix} and {@link #installSnapshot} throw on a log that cannot be compacted. */
    static UnsupportedOperationException compactionNotSupported() {
        return new UnsupportedOperationException("this log cannot be compacted: it implements neither"
                + " LogAPI.compactPrefix nor LogAPI.installSnapshot, so a node on it takes no snapshots");
    }

    /**
     * Whether every write is durable against power loss and operating-system crashes when it returns, as Raft's
     * safety assumes: a node that forgets its vote or an entry it acknowledged can help elect two leaders in one term
     * or lose committed commands. True by default. A log that relaxes durability for speed (for example a
     * {@code SqliteLog} with {@code Durability.NORMAL_UNSAFE_ON_POWER_LOSS}) returns false, and a {@code RaftNode}
     * with peers then refuses it unless built with {@code unsafeAllowNonDurableLog(true)}.
     */
    default boolean isDurable() {
        return true;
    }

    /** Releases the storage; the log must not be used afterwards. */
    @Override
    void close();
}
