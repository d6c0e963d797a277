package io.raftbus.engine.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link LogAPI} must show, run against each implementation by a concrete subclass that says
 * how to make an empty log and how to reopen one (close it and open the same storage again, as a restarted process
 * would).
 */
public abstract class LogApiContract {

    /** The log under test; replaced by {@link #restart()}. */
    protected LogAPI log;

    /** A new, empty log. */
    protected abstract LogAPI newLog();

    /** Closes {@code closing} and returns the same storage opened again. */
    protected abstract LogAPI reopen(LogAPI closing);

    @BeforeEach
    void createLog() {
        log = newLog();
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** Simulates a restart of the node that owns the log. */
    protected final void restart() {
        log = reopen(log);
    }

    /** An entry whose payload names its index and term. */
    protected static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, EntryType.COMMAND,
                ("cmd-" + index + "@" + term).getBytes(StandardCharsets.UTF_8));
    }

    /** Entries [from, to] in {@code term}. */
    protected static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term));
        }
        return out;
    }

    private List<LogEntry> readAll() {
        return log.read(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
    }

    @Test
    void aNewLogIsEmpty() {
        assertEquals(HardState.INITIAL, log.loadHardState());
        assertEquals(1, log.firstIndex());
        assertEquals(0, log.lastIndex());
        assertEquals(0, log.termAt(0));
        assertEquals(Optional.empty(), log.loadMembership());
        assertEquals(SnapshotMeta.NONE, log.snapshotMeta());
        assertEquals(List.of(), log.read(1, 1, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(1));
    }

    @Test
    void compactionKeepsTheSuffixAndSurvivesRestart() {
        log.append(entries(1, 5, 1));
        log.append(entries(6, 8, 2));
        log.compactPrefix(6, 2);
        assertEquals(new SnapshotMeta(6, 2), log.snapshotMeta());
        assertEquals(7, log.firstIndex());
        assertEquals(8, log.lastIndex());
        assertEquals(2, log.termAt(6), "the term at the compacted index is still known");
        assertEquals(entries(7, 8, 2), readAll());
        restart();
        assertEquals(new SnapshotMeta(6, 2), log.snapshotMeta());
        assertEquals(7, log.firstIndex());
        assertEquals(2, log.termAt(6));
        assertEquals(entries(7, 8, 2), readAll());
        log.append(entries(9, 9, 3));
        assertEquals(List.of(entry(7, 2), entry(8, 2), entry(9, 3)), readAll());
    }

    @Test
    void compactingEverythingLeavesAnEmptyLogAfterTheSnapshot() {
        log.append(entries(1, 4, 1));
        log.compactPrefix(4, 1);
        assertEquals(5, log.firstIndex());
        assertEquals(4, log.lastIndex());
        assertEquals(1, log.termAt(4));
        assertEquals(List.of(), log.read(5, 5, 100));
        log.append(entries(5, 5, 2));
        assertEquals(List.of(entry(5, 2)), readAll());
    }

    @Test
    void compactionAtOrBelowThePrefixDoesNothing() {
        log.compactPrefix(0, 0); // a node probes compaction support this way
        assertEquals(SnapshotMeta.NONE, log.snapshotMeta());
        log.append(entries(1, 6, 1));
        log.compactPrefix(4, 1);
        log.compactPrefix(4, 1);
        log.compactPrefix(2, 1);
        assertEquals(new SnapshotMeta(4, 1), log.snapshotMeta());
        assertEquals(entries(5, 6, 1), readAll());
    }

    @Test
    void compactionPastTheEndOrWithTheWrongTermIsRefused() {
        log.append(entries(1, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(4, 1));
        assertThrows(IllegalArgumentException.class, () -> log.compactPrefix(2, 2));
        assertEquals(SnapshotMeta.NONE, log.snapshotMeta());
        assertEquals(entries(1, 3, 1), readAll());
    }

    @Test
    void readsAndTermsBelowTheCompactedPrefixAreRefused() {
        log.append(entries(1, 6, 1));
        log.compactPrefix(3, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> log.read(3, 5, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> log.read(1, 5, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(2));
        assertEquals(List.of(entry(4, 1)), log.read(4, 5, 100));
    }

    @Test
    void installSnapshotMatchingAnEntryKeepsTheSuffix() {
        log.append(entries(1, 3, 1));
        log.append(entries(4, 6, 2));
        log.installSnapshot(new SnapshotMeta(4, 2));
        assertEquals(new SnapshotMeta(4, 2), log.snapshotMeta());
        assertEquals(5, log.firstIndex());
        assertEquals(6, log.lastIndex());
        assertEquals(entries(5, 6, 2), readAll());
        restart();
        assertEquals(new SnapshotMeta(4, 2), log.snapshotMeta());
        assertEquals(entries(5, 6, 2), readAll());
    }

    @Test
    void installSnapshotWithoutAMatchingEntryEmptiesTheLog() {
        log.append(entries(1, 3, 1));
        log.append(entries(4, 6, 2));
        log.installSnapshot(new SnapshotMeta(5, 3)); // conflicting term at 5
        assertEquals(new SnapshotMeta(5, 3), log.snapshotMeta());
        assertEquals(6, log.firstIndex());
        assertEquals(5, log.lastIndex());
        assertEquals(3, log.termAt(5));
        assertEquals(List.of(), readAll());
        log.installSnapshot(new SnapshotMeta(20, 4)); // beyond the end
        assertEquals(21, log.firstIndex());
        assertEquals(20, log.lastIndex());
        assertEquals(4, log.termAt(20));
        restart();
        assertEquals(new SnapshotMeta(20, 4), log.snapshotMeta());
        assertEquals(20, log.lastIndex());
        log.append(entries(21, 22, 4));
        assertEquals(entries(21, 22, 4), readAll());
    }

    @Test
    void installSnapshotIsIdempotentAndNeverGoesBack() {
        log.append(entries(1, 6, 1));
        log.installSnapshot(new SnapshotMeta(4, 1));
        log.installSnapshot(new SnapshotMeta(4, 1));
        assertEquals(new SnapshotMeta(4, 1), log.snapshotMeta());
        assertEquals(entries(5, 6, 1), readAll());
        log.installSnapshot(new SnapshotMeta(2, 1));
        log.installSnapshot(new SnapshotMeta(3, 7));
        assertEquals(new SnapshotMeta(4, 1), log.snapshotMeta());
        assertEquals(entries(5, 6, 1), readAll());
    }

    @Test
    void hardStateRoundTripsAndSurvivesRestart() {
        log.saveHardState(new HardState(3, "n2"));
        assertEquals(new HardState(3, "n2"), log.loadHardState());
        log.saveHardState(new HardState(4, null));
        assertEquals(new HardState(4, null), log.loadHardState());
        restart();
        assertEquals(new HardState(4, null), log.loadHardState());
        log.saveHardState(new HardState(4, "n3"));
        restart();
        assertEquals(new HardState(4, "n3"), log.loadHardState());
    }

    @Test
    void appendedEntriesCanBeReadBackWithTheirTerms() {
        log.append(entries(1, 3, 1));
        log.append(List.of(new LogEntry(4, 2, EntryType.NOOP, new byte[0]),
                new LogEntry(5, 2, EntryType.CONFIG, new byte[] {1, 2, 3})));
        assertEquals(1, log.firstIndex());
        assertEquals(5, log.lastIndex());
        assertEquals(List.of(1L, 1L, 1L, 2L, 2L), List.of(log.termAt(1), log.termAt(2), log.termAt(3),
                log.termAt(4), log.termAt(5)));
        List<LogEntry> all = readAll();
        assertEquals(5, all.size());
        assertEquals(entries(1, 3, 1), all.subList(0, 3));
        assertEquals(EntryType.NOOP, all.get(3).type());
        assertArrayEquals(new byte[] {1, 2, 3}, all.get(4).payload());
        assertEquals(List.of(entry(2, 1), entry(3, 1)), log.read(2, 4, Long.MAX_VALUE));
        assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(6));
        assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(-1));
    }

    @Test
    void anEmptyBatchChangesNothing() {
        log.append(entries(1, 2, 1));
        log.append(List.of());
        assertEquals(2, log.lastIndex());
    }

    @Test
    void batchesThatDoNotContinueTheLogAreRejectedWhole() {
        assertThrows(IllegalArgumentException.class, () -> log.append(entries(2, 3, 1)));
        assertEquals(0, log.lastIndex());
        log.append(entries(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> log.append(entries(2, 3, 1)), "overlap");
        assertThrows(IllegalArgumentException.class, () -> log.append(entries(4, 5, 1)), "gap before");
        assertThrows(IllegalArgumentException.class,
                () -> log.append(List.of(entry(3, 1), entry(5, 1))), "gap inside");
        assertEquals(2, log.lastIndex());
        assertEquals(entries(1, 2, 1), readAll());
        restart();
        assertEquals(entries(1, 2, 1), readAll());
    }

    @Test
    void truncateSuffixRemovesTheTailAndLetsANewOneFollow() {
        log.append(entries(1, 3, 1));
        log.append(entries(4, 5, 2));
        log.truncateSuffix(4);
        assertEquals(3, log.lastIndex());
        assertEquals(1, log.termAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(4));
        log.append(entries(4, 4, 3));
        assertEquals(3, log.termAt(4));
        log.truncateSuffix(10);
        assertEquals(4, log.lastIndex(), "truncating past the end changes nothing");
        restart();
        assertEquals(4, log.lastIndex());
        assertEquals(3, log.termAt(4));
        assertEquals(List.of(entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 3)), readAll());
        log.truncateSuffix(1);
        assertEquals(0, log.lastIndex());
        assertEquals(0, log.termAt(0));
        restart();
        assertEquals(0, log.lastIndex());
        log.append(entries(1, 1, 5));
        assertEquals(5, log.termAt(1));
        assertThrows(IndexOutOfBoundsException.class, () -> log.truncateSuffix(0));
    }

    @Test
    void readStopsAtMaxBytesButReturnsAtLeastOneEntry() {
        log.append(entries(1, 5, 1)); // each entry: 8 payload bytes + overhead
        long size = entry(1, 1).sizeBytes();
        assertEquals(1, log.read(1, 6, 0).size(), "at least one entry");
        assertEquals(1, log.read(1, 6, size - 1).size(), "at least one entry, even if alone it is too large");
        assertEquals(1, log.read(1, 6, size).size());
        assertEquals(2, log.read(1, 6, 2 * size).size(), "exactly two fit");
        assertEquals(2, log.read(1, 6, 3 * size - 1).size());
        assertEquals(5, log.read(1, 6, 100 * size).size());
        assertEquals(List.of(entry(3, 1), entry(4, 1)), log.read(3, 6, 2 * size));
        assertEquals(List.of(entry(5, 1)), log.read(5, 6, 0));
    }

    @Test
    void readOutsideTheLogIsRejected() {
        log.append(entries(1, 3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> log.read(0, 2, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> log.read(2, 5, 100));
        assertThrows(IndexOutOfBoundsException.class, () -> log.read(3, 2, 100));
        assertEquals(List.of(), log.read(4, 4, 100));
    }

    /** A CONFIG entry whose membership names its index. */
    protected static LogEntry configEntry(long index, long term) {
        return new LogEntry(index, term, EntryType.CONFIG,
                MembershipCodec.encode(Membership.ofVoters(Set.of("a", "n" + index))));
    }

    /** Entries 1–9 of term 1: CONFIG at 2, 5 and 8, a NOOP at 1, commands elsewhere. */
    private List<LogEntry> mixedEntries() {
        List<LogEntry> out = new ArrayList<>();
        for (long i = 1; i <= 9; i++) {
            out.add(i == 1 ? new LogEntry(1, 1, EntryType.NOOP, new byte[0])
                    : i % 3 == 2 ? configEntry(i, 1) : entry(i, 1));
        }
        return out;
    }

    @Test
    void configEntriesAreTheConfigEntriesFromAnIndexOnInOrder() {
        assertEquals(List.of(), log.configEntries(1), "an empty log has none");
        log.append(mixedEntries().subList(0, 4));
        log.append(mixedEntries().subList(4, 9));
        assertEquals(List.of(configEntry(2, 1), configEntry(5, 1), configEntry(8, 1)), log.configEntries(1));
        assertEquals(List.of(configEntry(5, 1), configEntry(8, 1)), log.configEntries(3));
        assertEquals(List.of(configEntry(5, 1), configEntry(8, 1)), log.configEntries(5));
        assertEquals(List.of(), log.configEntries(9));
        assertEquals(List.of(), log.configEntries(10), "from just past the end: none");
        restart();
        assertEquals(List.of(configEntry(2, 1), configEntry(5, 1), configEntry(8, 1)), log.configEntries(1));
        assertArrayEquals(configEntry(8, 1).payload(), log.configEntries(6).get(0).payload());
    }

    @Test
    void configEntriesFollowTruncationAndCompaction() {
        log.append(mixedEntries());
        log.truncateSuffix(6);
        assertEquals(List.of(configEntry(2, 1), configEntry(5, 1)), log.configEntries(1));
        log.append(List.of(entry(6, 2), configEntry(7, 2)));
        assertEquals(List.of(configEntry(2, 1), configEntry(5, 1), configEntry(7, 2)), log.configEntries(1));
        log.compactPrefix(4, 1);
        assertEquals(List.of(configEntry(5, 1), configEntry(7, 2)), log.configEntries(5));
        restart();
        assertEquals(List.of(configEntry(5, 1), configEntry(7, 2)), log.configEntries(log.firstIndex()));
        assertThrows(IndexOutOfBoundsException.class, () -> log.configEntries(4), "below the compacted prefix");
        assertThrows(IndexOutOfBoundsException.class, () -> log.configEntries(9), "past the end");
        log.installSnapshot(new SnapshotMeta(20, 3));
        assertEquals(List.of(), log.configEntries(21), "an install without a matching entry empties the log");
    }

    @Test
    void membershipRoundTripsAndSurvivesRestart() {
        Membership first = new Membership(Set.of("a", "b", "c"), Set.of("d"));
        log.saveMembership(first);
        assertEquals(Optional.of(first), log.loadMembership());
        Membership second = Membership.ofVoters(Set.of("a", "b", "e"));
        log.saveMembership(second);
        assertEquals(Optional.of(second), log.loadMembership());
        restart();
        assertEquals(Optional.of(second), log.loadMembership());
    }

    @Test
    void restartKeepsEverything() {
        log.saveHardState(new HardState(7, "me"));
        log.append(entries(1, 10, 2));
        log.append(entries(11, 12, 7));
        log.truncateSuffix(12);
        log.saveMembership(Membership.ofVoters(Set.of("me", "you", "them")));
        restart();
        assertEquals(new HardState(7, "me"), log.loadHardState());
        assertEquals(1, log.firstIndex());
        assertEquals(11, log.lastIndex());
        assertEquals(7, log.termAt(11));
        assertEquals(2, log.termAt(10));
        List<LogEntry> expected = new ArrayList<>(entries(1, 10, 2));
        expected.add(entry(11, 7));
        assertEquals(expected, readAll());
        assertEquals(Optional.of(Membership.ofVoters(Set.of("me", "you", "them"))), log.loadMembership());
        assertTrue(log.read(1, 12, 1).size() == 1);
    }
}
