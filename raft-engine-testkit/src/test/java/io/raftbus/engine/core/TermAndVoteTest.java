package io.raftbus.engine.core;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The term and vote: loaded from the log, saved in one write, unchanged in memory when the write fails. */
class TermAndVoteTest {

    @Test
    void loadsWhatTheLogStores() {
        CountingLog log = new CountingLog();
        log.saveHardState(new HardState(4, "b"));
        TermAndVote tv = new TermAndVote(log);
        assertEquals(4, tv.term());
        assertEquals("b", tv.votedFor());
    }

    @Test
    void savesTermAndVoteInOneWrite() {
        CountingLog log = new CountingLog();
        TermAndVote tv = new TermAndVote(log);
        assertEquals(0, tv.term());
        assertNull(tv.votedFor());
        tv.save(3, null);
        tv.save(3, "c");
        assertEquals(List.of(new HardState(3, null), new HardState(3, "c")), log.savedHardStates);
        assertEquals(3, tv.term());
        assertEquals("c", tv.votedFor());
    }

    @Test
    void aFailedWriteChangesNothing() {
        CountingLog log = new CountingLog();
        TermAndVote tv = new TermAndVote(log);
        tv.save(2, "a");
        log.failSaveHardState = true;
        assertThrows(LogException.class, () -> tv.save(3, "b"));
        assertEquals(2, tv.term());
        assertEquals("a", tv.votedFor());
    }
}
