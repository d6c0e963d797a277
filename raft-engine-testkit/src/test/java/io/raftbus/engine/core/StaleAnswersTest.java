package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.logWithTerms;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late answers to requests of an earlier term or an earlier pre-campaign: they must not count as answers now. Over
 * Kafka a message can arrive long after it was sent (a slow producer retry, a follower reading a backlog).
 */
class StaleAnswersTest {

    private static RaftConfig config(boolean preVote, boolean checkQuorum) {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(preVote)
                .checkQuorum(checkQuorum).build();
    }

    /** a leads term 3 (all logs hold entries of terms 1 and 2), and b and c have acknowledged it. */
    private static TestCluster aLeadsTerm3() {
        Map<String, InMemoryLog> logs = new TreeMap<>(Map.of("a", logWithTerms(2, 1, 2), "b", logWithTerms(2, 1, 2),
                "c", logWithTerms(2, 1, 2))); // cores run in a fixed order, not Map.of's per-JVM one
        Map<String, RandomGenerator> random = Map.of("a", fixedTimeout(0), "b", fixedTimeout(100),
                "c", fixedTimeout(100));
        TestCluster c = new TestCluster(config(false, true), ABC, logs, random);
        assertEquals("a", c.awaitLeader(1_000));
        assertEquals(3, c.core("a").status().term());
        c.advance(100);
        assertEquals(Map.of("b", 3L, "c", 3L), c.core("a").status().matchIndex());
        return c;
    }

    /** An AppendEntries a sent as leader of term 2, at an index past what b and c hold, carrying read round 7. */
    private static AppendEntriesRequest fromTerm2(String to) {
        return new AppendEntriesRequest(CLUSTER, "a", to, 2, 10, 2, List.<LogEntry>of(), 2, 7);
    }

    /** The follower's genuine answer to {@link #fromTerm2}. */
    private static AppendEntriesResponse answerOf(TestCluster c, String follower) {
        c.core(follower).receive(fromTerm2(follower));
        return only(c.core(follower).ready(), AppendEntriesResponse.class);
    }

    @Test
    void aRejectionOfAnEarlierTermEchoesNoReadRound() {
        TestCluster c = aLeadsTerm3();
        AppendEntriesResponse answer = answerOf(c, "b");
        assertFalse(answer.success());
        assertEquals(3, answer.term(), "tells the sender of the newer term");
        assertEquals(0, answer.readSeq(), "round 7 of term 2 proves nothing about term 3");
        assertTrue(answer.answersEarlierTerm());
    }

    @Test
    void aRejectionOfAnEarlierTermDoesNotSendAPipeliningFollowerBackToProbe() {
        TestCluster c = aLeadsTerm3();
        RaftCore a = c.core("a");
        a.receive(answerOf(c, "b"));
        assertTrue(sent(a.ready(), AppendEntriesRequest.class).isEmpty(), "no probe: b's pipeline stands");

        a.submit(1, new byte[] {1});
        a.submit(2, new byte[] {2});
        List<AppendEntriesRequest> appends = sent(a.ready(), AppendEntriesRequest.class);
        assertEquals(2, appends.size(), "both followers get the new entries at once: " + appends);
        for (AppendEntriesRequest req : appends) {
            assertEquals(3, req.prevLogIndex());
            assertEquals(2, req.entries().size());
        }
    }

    @Test
    void rejectionsOfAnEarlierTermDoNotKeepALeaderWithoutAMajorityInOffice() {
        TestCluster c = aLeadsTerm3();
        c.dropWhere(m -> m.to().equals("a")); // a hears nothing of term 3 from its followers any more
        for (int i = 0; i < 20 && c.core("a").status().role() == Role.LEADER; i++) { // 600 ms: 4 CheckQuorum periods
            c.advance(30);
            for (String follower : List.of("b", "c")) {
                c.core("a").receive(answerOf(c, follower)); // only late answers to its term-2 requests arrive
            }
        }
        assertNotEquals(Role.LEADER, c.core("a").status().role(), "CheckQuorum: no follower answered in term 3");
    }

    @Test
    void aDelayedPreVoteGrantOfAnEarlierPreCampaignDoesNotCount() {
        RaftCore a = core("a", ABC, config(true, false), logWithTerms(1, 1), 0);
        a.tick(150);
        PreVoteRequest first = sent(a.ready(), PreVoteRequest.class).get(0);
        a.tick(300); // no answer within the election timeout: a second pre-campaign
        PreVoteRequest secondToC = sent(a.ready(), PreVoteRequest.class).get(1);
        assertEquals("c", secondToC.to());
        assertEquals(Role.PRE_CANDIDATE, a.status().role());
        assertEquals(1, a.status().term(), "pre-campaigns change no term");
        assertEquals(first.term(), secondToC.term(), "both ask about the current term + 1");

        a.receive(PreVoteResponse.grant(first)); // b granted long ago; the grant arrives now
        assertEquals(Role.PRE_CANDIDATE, a.status().role(), "b may follow a leader by now");
        assertTrue(sent(a.ready(), VoteRequest.class).isEmpty());

        a.receive(PreVoteResponse.grant(secondToC));
        assertEquals(Role.CANDIDATE, a.status().role());
        assertEquals(2, a.status().term());
        assertEquals(2, sent(a.ready(), VoteRequest.class).size());
    }

    @Test
    void aGrantFromAPeerTooOldToEchoCountsSoMixedVersionClustersStayLive() {
        RaftCore a = core("a", ABC, config(true, false), logWithTerms(1, 1), 0);
        a.tick(150);
        a.ready();
        a.receive(new PreVoteResponse(CLUSTER, "b", "a", 2, true, 0)); // a version-3 peer: no number to echo
        assertEquals(Role.CANDIDATE, a.status().role());
        assertEquals(2, a.status().term());
    }

    @Test
    void aNodeCutOffForManyPreCampaignsWinsOneTermAboveTheCluster() {
        RaftCore a = core("a", ABC, config(true, false), logWithTerms(1, 1), 0);
        for (int i = 0; i < 1_000; i++) {
            a.tick(150L + 300L * i); // nobody answers: a new pre-campaign each election timeout
        }
        List<PreVoteRequest> asked = sent(a.ready(), PreVoteRequest.class);
        assertTrue(asked.size() >= 2 * 1_000, "a pre-campaigned about a thousand times");
        assertEquals(1, a.status().term(), "pre-campaigns change no term");
        PreVoteRequest latest = asked.get(asked.size() - 1);
        assertEquals(2, latest.term(), "the cluster is in term 1: a asks about term 2, however long it was cut off");

        a.receive(PreVoteResponse.grant(latest));
        VoteRequest vote = sent(a.ready(), VoteRequest.class).get(0);
        a.receive(new VoteResponse(CLUSTER, vote.to(), "a", vote.term(), true));
        assertEquals(Role.LEADER, a.status().role());
        assertEquals(2, a.status().term(), "one above the cluster's term 1");
    }
}
