package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.raftbus.engine.core.Fixtures.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The log view: its cached end follows every successful write, and its searches agree with a linear scan. */
class LogViewTest {

    /** A log holding entries 1..n with the given terms. */
    private static CountingLog logWithTerms(long... terms) {
        CountingLog log = new CountingLog();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            entries.add(entry(i + 1, terms[i]));
        }
        if (!entries.isEmpty()) {
            log.append(entries);
        }
        return log;
    }

    @Test
    void theEndIsReadOnceAndCached() {
        CountingLog log = logWithTerms(1, 1, 2);
        LogView view = new LogView(log);
        assertEquals(3, view.lastIndex());
        assertEquals(2, view.lastTerm());
        log.failTermAtCall = 1; // the next termAt on the log fails: the last index must not ask it
        assertEquals(2, view.termAt(3));
        assertThrows(LogException.class, () -> view.termAt(2));
        assertEquals(1, view.termAt(2));
        assertEquals(0, view.termAt(0));
    }

    @Test
    void appendMovesTheEndAndAFailedAppendDoesNot() {
        CountingLog log = logWithTerms(1);
        LogView view = new LogView(log);
        view.append(List.of(entry(2, 1), entry(3, 4)));
        assertEquals(3, view.lastIndex());
        assertEquals(4, view.lastTerm());
        log.failAppends = true;
        assertThrows(LogException.class, () -> view.append(List.of(entry(4, 4))));
        assertEquals(3, view.lastIndex());
        assertEquals(4, view.lastTerm());
    }

    @Test
    void truncationEndsTheLogAtThePreviousEntry() {
        CountingLog log = logWithTerms(1, 2, 2, 3);
        LogView view = new LogView(log);
        view.truncateFrom(3);
        assertEquals(2, view.lastIndex());
        assertEquals(2, view.lastTerm());
        assertEquals(2, log.lastIndex());
        view.truncateFrom(1);
        assertEquals(0, view.lastIndex());
        assertEquals(0, view.lastTerm());
    }

    @Test
    void upToDateComparesLastTermThenLastIndex() {
        LogView view = new LogView(logWithTerms(1, 2, 2)); // ends at 3@2
        for (long term = 0; term <= 3; term++) {
            for (long index = 0; index <= 5; index++) {
                boolean expected = term > 2 || (term == 2 && index >= 3);
                assertEquals(expected, view.isUpToDate(index, term), index + "@" + term);
            }
        }
    }

    @Test
    void theSearchesAgreeWithALinearScanOnEveryShortLog() {
        for (long[] terms : nonDecreasingTermSequences(6, 3)) {
            LogView view = new LogView(logWithTerms(terms));
            for (int index = 1; index <= terms.length; index++) {
                long term = terms[index - 1];
                for (int notBelow = 0; notBelow <= index; notBelow++) {
                    long expected = index;
                    while (expected > Math.max(notBelow, 1) && terms[(int) expected - 2] == term) {
                        expected--;
                    }
                    assertEquals(expected, view.firstIndexOfTerm(term, index, notBelow),
                            "first of term " + term + " ending at " + index + " not below " + notBelow);
                }
            }
            for (long term = 0; term <= 4; term++) {
                for (long upTo = 0; upTo <= terms.length + 1; upTo++) {
                    long expected = 0;
                    for (int i = 1; i <= Math.min(upTo, terms.length); i++) {
                        if (term > 0 && terms[i - 1] == term) {
                            expected = i;
                        }
                    }
                    assertEquals(expected, view.lastIndexOfTerm(term, upTo),
                            "last of term " + term + " up to " + upTo + " in " + java.util.Arrays.toString(terms));
                }
            }
        }
    }

    /** Every non-decreasing sequence of terms in [1, maxTerm], of every length up to maxLength. */
    private static List<long[]> nonDecreasingTermSequences(int maxLength, int maxTerm) {
        List<long[]> out = new ArrayList<>();
        out.add(new long[0]);
        for (int i = 0; i < out.size(); i++) {
            long[] s = out.get(i);
            if (s.length == maxLength) {
                continue;
            }
            for (long t = s.length == 0 ? 1 : s[s.length - 1]; t <= maxTerm; t++) {
                long[] longer = java.util.Arrays.copyOf(s, s.length + 1);
                longer[s.length] = t;
                out.add(longer);
            }
        }
        return out;
    }

    @Test
    void aCompactedPrefixBoundsTermsAndSearches() {
        CountingLog log = logWithTerms(1, 1, 2, 2, 2, 3, 3);
        LogView view = new LogView(log);
        view.compactPrefix(4);
        assertEquals(4, view.snapshotIndex());
        assertEquals(5, view.firstIndex());
        assertEquals(2, view.termAt(4), "the term at the end of the prefix is still known");
        assertThrows(IllegalStateException.class, () -> view.termAt(3));
        assertEquals(-1, view.termIfKnown(3));
        assertEquals(2, view.termIfKnown(4));
        assertEquals(5, view.lastIndexOfTerm(2, 7));
        assertEquals(4, view.lastIndexOfTerm(2, 4), "the end of the prefix counts");
        assertEquals(0, view.lastIndexOfTerm(1, 7), "term 1 is compacted away");
        assertEquals(5, view.firstIndexOfTerm(2, 5, 0), "never below the first index held");
        view.compactPrefix(2);
        assertEquals(4, view.snapshotIndex(), "compaction never goes back");
    }

    @Test
    void installingASnapshotMovesTheEndWhenNoEntryMatches() {
        CountingLog log = logWithTerms(1, 1, 2);
        LogView view = new LogView(log);
        view.installSnapshot(new io.raftbus.engine.spi.SnapshotMeta(6, 4));
        assertEquals(6, view.lastIndex());
        assertEquals(4, view.lastTerm());
        assertEquals(7, view.firstIndex());
        assertEquals(4, view.termAt(6));
        view.append(List.of(entry(7, 4)));
        assertEquals(7, view.lastIndex());
    }
}
