package io.raftbus.engine.message;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An adopted array of entries reads as an immutable list, its sub-lists too, and AppendEntries keeps it as is. */
class LogEntriesTest {

    private static LogEntry entry(long index) {
        return new LogEntry(index, 1, EntryType.COMMAND, new byte[]{(byte) index});
    }

    @Test
    void readsAsTheArraysEntriesInOrderAndEqualsAnyListOfThem() {
        LogEntry[] array = {entry(1), entry(2), entry(3), entry(4)};
        List<LogEntry> same = List.of(array);
        LogEntries entries = LogEntries.adopt(array);
        assertEquals(same, entries);
        assertEquals(entries, same);
        assertEquals(same.hashCode(), entries.hashCode());
        assertEquals(List.of(entry(2), entry(3)), entries.subList(1, 3));
        assertEquals(List.of(entry(3)), entries.subList(1, 3).subList(1, 2));
        assertEquals(List.of(), entries.subList(4, 4));
        assertEquals(List.of(), LogEntries.adopt(new LogEntry[0]));
    }

    @Test
    void refusesNullsOutOfRangeIndexesAndChanges() {
        assertThrows(NullPointerException.class, () -> LogEntries.adopt(new LogEntry[]{entry(1), null}));
        LogEntries entries = LogEntries.adopt(new LogEntry[]{entry(1), entry(2), entry(3)});
        LogEntries middle = entries.subList(1, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> middle.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> middle.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> entries.subList(2, 4));
        assertThrows(UnsupportedOperationException.class, () -> entries.add(entry(4)));
        assertThrows(UnsupportedOperationException.class, () -> entries.set(0, entry(9)));
        assertThrows(UnsupportedOperationException.class, () -> middle.remove(0));
        assertThrows(UnsupportedOperationException.class, () -> middle.clear());
    }

    @Test
    void appendEntriesKeepsAnImmutableListAndCopiesAnyOther() {
        LogEntries entries = LogEntries.adopt(new LogEntry[]{entry(1), entry(2)});
        assertSame(entries, new AppendEntriesRequest("c", "n1", "n2", 1, 0, 0, entries, 0).entries());
        List<LogEntry> listOf = List.of(entry(1));
        assertSame(listOf, new AppendEntriesRequest("c", "n1", "n2", 1, 0, 0, listOf, 0).entries());
        List<LogEntry> mutable = new ArrayList<>(entries);
        List<LogEntry> kept = new AppendEntriesRequest("c", "n1", "n2", 1, 0, 0, mutable, 0).entries();
        mutable.clear();
        assertEquals(entries, kept);
    }
}
