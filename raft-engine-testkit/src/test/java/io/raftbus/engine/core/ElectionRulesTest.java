package io.raftbus.engine.core;

import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.HardState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.logWithTerms;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raft §5.1-5.2 and §5.4.1: terms, votes, elections. */
class ElectionRulesTest {

    /** A leader of term 2 (a, with b's vote) on a log ending at 1@1. */
    private static RaftCore leaderOfTerm2(InMemoryLog log) {
        RaftCore a = core("a", ABC, plain(), log, 0);
        a.tick(150); // campaign: term 2
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 2, true));
        a.ready();
        assertEquals(Role.LEADER, a.status().role());
        assertEquals(2, a.status().term());
        return a;
    }

    @Test
    void anyMessageWithAHigherTermMakesTheReceiverAFollowerInThatTermDurably() {
        List<RaftMessage> higherTermMessages = List.of(
                append("b", "a", 5, 0, 0, 0),
                new AppendEntriesResponse(CLUSTER, "b", "a", 5, false, 0, 1, 0, 1, 0),
                new VoteRequest(CLUSTER, "b", "a", 5, 0, 0),
                new VoteResponse(CLUSTER, "b", "a", 5, false),
                new PreVoteResponse(CLUSTER, "b", "a", 5, false, 1));
        for (RaftMessage m : higherTermMessages) {
            InMemoryLog log = logWithTerms(1, 1);
            RaftCore a = leaderOfTerm2(log);
            a.receive(m);
            assertEquals(Role.FOLLOWER, a.status().role(), "after " + m);
            assertEquals(5, a.status().term(), "after " + m);
            HardState durable = log.loadHardState();
            assertEquals(5, durable.term(), "durable term after " + m);
            if (!(m instanceof VoteRequest)) {
                assertNull(durable.votedFor(), "vote reset after " + m);
            }
        }
    }

    @Test
    void preVoteMessagesNeverChangeTheReceiversTerm() {
        InMemoryLog log = logWithTerms(1, 1);
        RaftCore a = core("a", ABC, plain(), log, 0);
        a.receive(new PreVoteRequest(CLUSTER, "b", "a", 7, 1, 1, 9));
        a.receive(new PreVoteResponse(CLUSTER, "b", "a", 7, true, 9));
        assertEquals(1, a.status().term());
        assertEquals(1, log.loadHardState().term());
        PreVoteResponse answer = only(a.ready(), PreVoteResponse.class);
        assertTrue(answer.granted());
        assertEquals(7, answer.term());
        assertEquals(9, answer.preCampaignNumber(), "echoes the pre-campaign it answers");
    }

    @Test
    void staleTermRequestsAreRefusedWithTheCurrentTermAndStaleResponsesIgnored() {
        RaftCore a = core("a", ABC, plain(), logWithTerms(4, 1, 4), 0);

        a.receive(new VoteRequest(CLUSTER, "b", "a", 3, 9, 3));
        VoteResponse vote = only(a.ready(), VoteResponse.class);
        assertFalse(vote.granted());
        assertEquals(4, vote.term());

        a.receive(append("c", "a", 3, 2, 3, 2));
        AppendEntriesResponse appended = only(a.ready(), AppendEntriesResponse.class);
        assertFalse(appended.success());
        assertEquals(4, appended.term());
        assertNull(a.status().leaderId());
        assertEquals(0, a.status().commitIndex());

        // a leader ignores responses from an older term
        RaftCore leader = leaderOfTerm2(logWithTerms(1, 1));
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 2, 0, 0, 0, 2));
        assertEquals(0, leader.status().matchIndex().get("b"));
        assertEquals(0, leader.status().commitIndex());
    }

    @Test
    void oneVotePerTermSurvivesARestart() {
        InMemoryLog log = logWithTerms(1, 1);
        RaftCore a = core("a", ABC, plain(), log, 100);
        a.receive(new VoteRequest(CLUSTER, "b", "a", 2, 1, 1));
        assertTrue(only(a.ready(), VoteResponse.class).granted());
        assertEquals(new HardState(2, "b"), log.loadHardState(), "vote durable before the response");

        a.receive(new VoteRequest(CLUSTER, "c", "a", 2, 1, 1));
        assertFalse(only(a.ready(), VoteResponse.class).granted(), "second candidate, same term");

        RaftCore restarted = core("a", ABC, plain(), log, 100);
        restarted.receive(new VoteRequest(CLUSTER, "c", "a", 2, 1, 1));
        assertFalse(only(restarted.ready(), VoteResponse.class).granted(), "after restart, same term");
        restarted.receive(new VoteRequest(CLUSTER, "b", "a", 2, 1, 1));
        assertTrue(only(restarted.ready(), VoteResponse.class).granted(), "the same candidate again (duplicate)");
    }

    @Test
    void votesOnlyForCandidatesWhoseLogIsAtLeastAsUpToDate() {
        // voter's log ends at 3@2
        record Case(long lastIndex, long lastTerm, boolean granted) {
        }
        List<Case> cases = List.of(
                new Case(10, 1, false), // longer but older last term
                new Case(2, 2, false),  // same last term, shorter
                new Case(3, 2, true),   // identical
                new Case(4, 2, true),   // same term, longer
                new Case(1, 3, true));  // newer last term, shorter
        for (Case c : cases) {
            RaftCore a = core("a", ABC, plain(), logWithTerms(2, 1, 2, 2), 100);
            a.receive(new VoteRequest(CLUSTER, "b", "a", 3, c.lastIndex, c.lastTerm));
            assertEquals(c.granted, only(a.ready(), VoteResponse.class).granted(), c.toString());
        }
    }

    @Test
    void aCandidateBecomesFollowerOnAppendEntriesFromTheLeaderOfItsTerm() {
        RaftCore a = core("a", ABC, plain(), logWithTerms(1, 1), 0);
        a.tick(150);
        assertEquals(Role.CANDIDATE, a.status().role());
        assertEquals(2, a.status().term());
        assertEquals(2, Fixtures.sent(a.ready(), VoteRequest.class).size());

        a.receive(append("b", "a", 2, 1, 1, 0));
        assertEquals(Role.FOLLOWER, a.status().role());
        assertEquals(2, a.status().term());
        assertEquals("b", a.status().leaderId());
        assertTrue(only(a.ready(), AppendEntriesResponse.class).success());
    }

    @Test
    void aCandidateWithAMajorityOfVotesLeadsAndAppendsANoOpDurably() {
        InMemoryLog log = logWithTerms(1, 1);
        RaftCore a = core("a", ABC, plain(), log, 0);
        a.tick(150);
        assertEquals(new HardState(2, "a"), log.loadHardState(), "term and self-vote durable before VoteRequests");
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 2, false));
        assertEquals(Role.CANDIDATE, a.status().role());
        a.receive(new VoteResponse(CLUSTER, "c", "a", 2, true));
        assertEquals(Role.LEADER, a.status().role());
        assertEquals(2, log.lastIndex());
        assertEquals(2, log.termAt(2));
        Ready ready = a.ready();
        assertTrue(ready.statusChanged());
        List<AppendEntriesRequest> appends = Fixtures.sent(ready, AppendEntriesRequest.class);
        assertEquals(2, appends.size());
        for (AppendEntriesRequest req : appends) {
            assertEquals(1, req.prevLogIndex());
            assertEquals(1, req.entries().size(), "probe carries the no-op");
        }
    }

    @Test
    void electionTimeoutIsRandomizedWithinTheConfiguredRange() {
        for (long offset : new long[] {0, 75, 149}) {
            RaftCore a = core("a", ABC, plain(), new InMemoryLog(), offset);
            a.tick(150 + offset - 1);
            assertEquals(Role.FOLLOWER, a.status().role());
            a.tick(150 + offset);
            assertEquals(Role.CANDIDATE, a.status().role());
        }
    }

    @Test
    void grantingAVoteResetsTheElectionTimer() {
        RaftCore a = core("a", ABC, plain(), new InMemoryLog(), 0);
        a.tick(100);
        a.receive(new VoteRequest(CLUSTER, "b", "a", 1, 0, 0));
        a.tick(249);
        assertEquals(Role.FOLLOWER, a.status().role());
        a.tick(250);
        assertEquals(Role.CANDIDATE, a.status().role());
    }
}
