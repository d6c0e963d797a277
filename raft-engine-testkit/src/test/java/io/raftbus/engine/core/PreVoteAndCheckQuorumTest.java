package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.Test;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.logWithTerms;
import static io.raftbus.engine.core.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PreVote (thesis §9.6), CheckQuorum and the leader lease that goes with it (§4.2.3, §6.2). */
class PreVoteAndCheckQuorumTest {

    private static RaftConfig config(boolean preVote, boolean checkQuorum) {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(preVote)
                .checkQuorum(checkQuorum).build();
    }

    private static String followerOtherThan(TestCluster c, String leader) {
        return c.cores.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    @Test
    void preVoteKeepsARejoiningPartitionedNodeFromDisruptingAStableLeader() {
        TestCluster c = new TestCluster(config(true, true), 11, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        long term = c.core(leader).status().term();
        String loner = followerOtherThan(c, leader);

        c.isolate(loner);
        c.advance(5_000);
        assertEquals(term, c.core(loner).status().term(), "pre-elections never raise the term");
        assertEquals(Role.PRE_CANDIDATE, c.core(loner).status().role());

        c.heal(loner);
        c.advance(2_000);
        assertEquals(leader, c.leader());
        assertEquals(term, c.core(leader).status().term(), "the leader was not disrupted");
        assertEquals(Role.FOLLOWER, c.core(loner).status().role());
        assertEquals(leader, c.core(loner).status().leaderId());
    }

    @Test
    void withoutPreVoteTheSameRejoiningNodeDisruptsTheLeader() {
        TestCluster c = new TestCluster(config(false, false), 11, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        long term = c.core(leader).status().term();
        String loner = followerOtherThan(c, leader);

        c.isolate(loner);
        c.advance(5_000);
        assertTrue(c.core(loner).status().term() > term + 5, "each timeout raised the isolated node's term");
        c.heal(loner);
        c.advance(2_000);
        assertTrue(c.core(c.awaitLeader(2_000)).status().term() > term, "the cluster had to move to a new term");
    }

    @Test
    void preVoteIsRefusedWhileTheVoterHearsFromALiveLeader() {
        RaftCore a = core("a", ABC, config(true, false), logWithTerms(1, 1), 100);
        a.receive(append("b", "a", 1, 1, 1, 0));
        a.ready();
        a.tick(100);
        a.receive(new PreVoteRequest(CLUSTER, "c", "a", 2, 1, 1, 9));
        PreVoteResponse refused = only(a.ready(), PreVoteResponse.class);
        assertFalse(refused.granted(), "leader b was heard 100 ms ago (< electionTimeoutMin)");
        assertEquals(1, refused.term());

        a.tick(160);
        a.receive(new PreVoteRequest(CLUSTER, "c", "a", 2, 1, 1, 9));
        assertTrue(only(a.ready(), PreVoteResponse.class).granted(), "leader silent for electionTimeoutMin");
        assertEquals(1, a.status().term());
    }

    @Test
    void aPreCandidateCampaignsOnlyAfterAMajorityOfPreVotes() {
        InMemoryLog log = logWithTerms(1, 1);
        RaftCore a = core("a", ABC, config(true, false), log, 0);
        a.tick(150);
        assertEquals(Role.PRE_CANDIDATE, a.status().role());
        assertEquals(1, a.status().term());
        assertEquals(1, log.loadHardState().term(), "no durable change for a pre-election");
        PreVoteRequest req = Fixtures.sent(a.ready(), PreVoteRequest.class).get(0);
        assertEquals(2, req.term());

        a.receive(PreVoteResponse.grant(req));
        assertEquals(Role.CANDIDATE, a.status().role());
        assertEquals(2, a.status().term());
        assertEquals(2, Fixtures.sent(a.ready(), VoteRequest.class).size());
    }

    @Test
    void checkQuorumMakesAnIsolatedLeaderStepDown() {
        TestCluster c = new TestCluster(config(true, true), 5, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        long term = c.core(leader).status().term();

        c.isolate(leader);
        c.advance(2 * 150 + 10);
        assertEquals(Role.FOLLOWER, c.core(leader).status().role(), "no majority heard within electionTimeoutMin");
        assertEquals(term, c.core(leader).status().term(), "stepping down does not change the term");
        assertNull(c.core(leader).status().leaderId());

        String successor = c.awaitLeader(2_000);
        assertNotEquals(leader, successor);
    }

    @Test
    void withCheckQuorumAFollowerInLeaseIgnoresAVoteRequestOfAHigherTerm() {
        RaftCore a = core("a", ABC, config(false, true), logWithTerms(1, 1), 100);
        a.receive(append("b", "a", 1, 1, 1, 0));
        a.ready();
        a.receive(new VoteRequest(CLUSTER, "c", "a", 9, 5, 1));
        assertEquals(1, a.status().term(), "term not raised by a disruptive candidate");
        assertTrue(a.ready().messages().isEmpty(), "ignored entirely");

        a.tick(150); // lease over: now the request counts
        a.receive(new VoteRequest(CLUSTER, "c", "a", 9, 5, 1));
        assertEquals(9, a.status().term());
        assertTrue(only(a.ready(), VoteResponse.class).granted());
    }
}
