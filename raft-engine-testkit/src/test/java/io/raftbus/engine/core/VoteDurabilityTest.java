package io.raftbus.engine.core;

import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vote costs one durable write of term and vote (one fsync on SQLite), and is durable before it is sent. */
class VoteDurabilityTest {

    private static RaftCore core(CountingLog log) {
        return new RaftCore("a", CLUSTER, ABC, plain(), log, 0, fixedTimeout(0), 0);
    }

    @Test
    void grantingAVoteOfAHigherTermSavesTermAndVoteInOneWrite() {
        CountingLog log = new CountingLog();
        RaftCore a = core(log);
        a.receive(new VoteRequest(CLUSTER, "c", "a", 5, 0, 0));
        assertTrue(only(a.ready(), VoteResponse.class).granted());
        assertEquals(List.of(new HardState(5, "c")), log.savedHardStates);
        assertEquals(new HardState(5, "c"), log.loadHardState());

        a.receive(new VoteRequest(CLUSTER, "c", "a", 5, 0, 0)); // a duplicate: granted again, nothing to write
        assertTrue(only(a.ready(), VoteResponse.class).granted());
        assertEquals(1, log.savedHardStates.size());
    }

    @Test
    void refusingAVoteOfAHigherTermSavesOnlyTheNewTerm() {
        CountingLog log = new CountingLog();
        log.append(List.<LogEntry>of(entry(1, 1)));
        RaftCore a = core(log);
        a.receive(new VoteRequest(CLUSTER, "c", "a", 5, 0, 0)); // c's log is behind a's
        assertFalse(only(a.ready(), VoteResponse.class).granted());
        assertEquals(List.of(new HardState(5, null)), log.savedHardStates);
    }

    @Test
    void anotherCandidateOfAVotedTermIsRefusedWithoutAWrite() {
        CountingLog log = new CountingLog();
        RaftCore a = core(log);
        a.receive(new VoteRequest(CLUSTER, "b", "a", 5, 0, 0));
        a.ready();
        log.savedHardStates.clear();
        a.receive(new VoteRequest(CLUSTER, "c", "a", 5, 0, 0)); // already voted for b in term 5
        assertFalse(only(a.ready(), VoteResponse.class).granted());
        assertTrue(log.savedHardStates.isEmpty());
    }
}
