package io.raftbus.engine.memory;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class EntryPagesTest {

    /** Random appends, suffix and prefix removals and clears across page boundaries, against a list. */
    @Test
    void behavesAsAListUnderRandomAppendsAndRemovals() {
        for (int seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            EntryPages pages = new EntryPages();
            List<LogEntry> model = new ArrayList<>();
            long next = 1;
            for (int step = 0; step < 3_000; step++) {
                int op = random.nextInt(100);
                if (op < 70) {
                    int n = random.nextInt(1, 3 * EntryPages.PAGE / 2);
                    for (int i = 0; i < n; i++) {
                        LogEntry e = new LogEntry(next++, 1, EntryType.COMMAND, new byte[random.nextInt(200)]);
                        pages.add(e);
                        model.add(e);
                    }
                } else if (op < 82 && !model.isEmpty()) {
                    int n = random.nextInt(model.size() + 1);
                    for (int i = 0; i < n; i++) {
                        pages.removeLast();
                        model.remove(model.size() - 1);
                    }
                } else if (op < 98) {
                    int n = random.nextInt(model.size() + 1);
                    pages.removeFirst(n);
                    model.subList(0, n).clear();
                } else {
                    pages.clear();
                    model.clear();
                }
                assertSameAs(model, pages, random);
            }
        }
    }

    private static void assertSameAs(List<LogEntry> model, EntryPages pages, SplittableRandom random) {
        assertEquals(model.size(), pages.size());
        for (int k = 0; k < 5 && !model.isEmpty(); k++) {
            int at = random.nextInt(model.size());
            assertSame(model.get(at), pages.get(at));
            int count = random.nextInt(model.size() - at + 1);
            assertArrayEquals(model.subList(at, at + count).toArray(new LogEntry[0]), pages.copy(at, count));
        }
    }
}
