package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed entries are handed out in chunks bounded by maxBytesPerAppend, so a large backlog (a restart replaying
 * the whole log into an in-memory state machine) is never read into memory at once.
 */
class CommittedHandOutTest {

    private static final int PAYLOAD = 100;
    private static final RaftConfig CONFIG = plain().toBuilder().maxBytesPerAppend(1_000).build();

    private static LogEntry[] entries(long from, long to) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(new LogEntry(i, 1, EntryType.COMMAND, new byte[PAYLOAD]));
        }
        return out.toArray(LogEntry[]::new);
    }

    @Test
    void aBacklogIsHandedOutInBoundedChunksInIndexOrder() {
        RaftCore follower = core("b", ABC, CONFIG, new InMemoryLog(), 0);
        follower.receive(append("a", "b", 1, 0, 0, 50, entries(1, 50)));

        List<Long> handedOut = new ArrayList<>();
        int calls = 0;
        do {
            Ready ready = follower.ready();
            calls++;
            long bytes = ready.committed().stream().mapToLong(c -> c.entry().sizeBytes()).sum();
            assertTrue(bytes <= CONFIG.maxBytesPerAppend(), "chunk of " + bytes + " bytes");
            assertFalse(ready.committed().isEmpty());
            ready.committed().forEach(c -> handedOut.add(c.entry().index()));
            assertEquals(handedOut.get(handedOut.size() - 1), follower.status().lastApplied());
        } while (follower.hasCommittedToHandOut());

        assertEquals(LongStream.rangeClosed(1, 50).boxed().toList(), handedOut);
        assertTrue(calls >= 50 * PAYLOAD / CONFIG.maxBytesPerAppend(), calls + " calls");
        assertTrue(follower.ready().committed().isEmpty());
    }

    @Test
    void messagesHandledBetweenChunksDoNotDisturbTheOrder() {
        RaftCore follower = core("b", ABC, CONFIG, new InMemoryLog(), 0);
        follower.receive(append("a", "b", 1, 0, 0, 30, entries(1, 30)));
        List<Long> handedOut = new ArrayList<>();
        follower.ready().committed().forEach(c -> handedOut.add(c.entry().index()));
        assertTrue(follower.hasCommittedToHandOut());

        follower.receive(append("a", "b", 1, 30, 1, 40, entries(31, 40)));
        follower.receive(append("a", "b", 1, 0, 0, 40, entries(1, 5))); // a stale duplicate: nothing changes
        while (follower.hasCommittedToHandOut()) {
            follower.ready().committed().forEach(c -> handedOut.add(c.entry().index()));
        }
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), handedOut);
        assertEquals(40, follower.status().commitIndex());
    }
}
