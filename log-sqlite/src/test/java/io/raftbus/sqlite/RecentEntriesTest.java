package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory tail of the log: what it holds after appends, truncations, compactions, and its bounds. */
class RecentEntriesTest {

    private static List<LogEntry> entries(long from, int count, int payloadBytes) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            out.add(new LogEntry(i, 1 + i / 10, EntryType.COMMAND, new byte[payloadBytes]));
        }
        return out;
    }

    @Test
    void holdsTheLastEntriesUpToItsCountAndAnswersOnlyRangesItHoldsWhole() {
        RecentEntries recent = new RecentEntries(4, 1 << 20);
        assertNull(recent.read(1, 2, 1 << 20));
        List<LogEntry> six = entries(1, 6, 10);
        recent.appended(six);
        assertEquals(3, recent.first());
        assertEquals(6, recent.last());
        assertNull(recent.get(2));
        assertSame(six.get(2), recent.get(3));
        assertEquals(six.subList(2, 6), recent.read(3, 7, 1 << 20));
        assertNull(recent.read(2, 4, 1 << 20), "2 is no longer held");
        assertNull(recent.read(6, 8, 1 << 20), "7 is not in the log");
        assertThrows(UnsupportedOperationException.class, () -> recent.read(3, 4, 1 << 20).add(six.get(0)));
    }

    @Test
    void aReadStopsAtMaxBytesButReturnsAtLeastOneEntry() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        List<LogEntry> five = entries(1, 5, 100); // 124 bytes each with the overhead
        recent.appended(five);
        assertEquals(five.subList(0, 2), recent.read(1, 6, 250));
        assertEquals(five.subList(0, 1), recent.read(1, 6, 1));
    }

    @Test
    void keepsItsBytesUnderTheBoundAndSkipsAnEntryLargerThanIt() {
        RecentEntries recent = new RecentEntries(16, 300);
        recent.appended(entries(1, 3, 100)); // 372 bytes: the first is dropped
        assertEquals(2, recent.first());
        assertEquals(3, recent.last());
        recent.appended(entries(4, 1, 1000)); // larger than the bound: held nothing across it
        assertTrue(recent.isEmpty());
        List<LogEntry> next = entries(5, 1, 10);
        recent.appended(next);
        assertEquals(5, recent.first());
        assertSame(next.get(0), recent.get(5));
    }

    @Test
    void followsTruncationsCompactionsAndGaps() {
        RecentEntries recent = new RecentEntries(16, 1 << 20);
        recent.appended(entries(1, 8, 10));
        recent.truncateFrom(6);
        assertEquals(5, recent.last());
        assertNull(recent.get(6));
        List<LogEntry> rewritten = entries(6, 2, 20);
        recent.appended(rewritten);
        assertSame(rewritten.get(1), recent.get(7));
        recent.discardThrough(3);
        assertEquals(4, recent.first());
        assertNull(recent.get(3));
        recent.appended(entries(20, 2, 10)); // not after the last: starts over
        assertEquals(20, recent.first());
        assertEquals(21, recent.last());
        recent.discardThrough(30);
        assertTrue(recent.isEmpty());
        recent.appended(entries(31, 1, 10));
        assertEquals(31, recent.first());
        recent.clear();
        assertTrue(recent.isEmpty());
        assertNull(recent.get(31));
    }
}
