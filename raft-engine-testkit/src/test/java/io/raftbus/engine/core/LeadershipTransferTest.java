package io.raftbus.engine.core;

import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leadership transfer (Ongaro's thesis §3.10): TimeoutNow, and vote requests that pass the leader lease. */
class LeadershipTransferTest {

    /** PreVote and CheckQuorum on: the lease is what a transfer must get past. */
    private static final RaftConfig CONFIG = RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30)
            .build();

    private long now;

    private static AppendEntriesResponse ack(String from, long term, long match) {
        return new AppendEntriesResponse(CLUSTER, from, "a", term, true, match, 0, 0, 0, match);
    }

    /** a leads term 1 with the no-op at 1; b has acknowledged it, c has not answered yet. */
    private RaftCore leaderA() {
        RaftCore a = new RaftCore("a", CLUSTER, ABC, CONFIG.toBuilder().preVote(false).build(), new InMemoryLog(), 0,
                fixedTimeout(0), 0);
        now = 150;
        a.tick(now);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        a.ready();
        a.receive(ack("b", 1, 1));
        a.ready();
        return a;
    }

    @Test
    void aCaughtUpTargetIsToldAtOnceAndNewCommandsAreRefusedMeanwhile() {
        RaftCore a = leaderA();
        assertEquals("b", a.transferLeadership(null), "b is the follower whose log matches");
        assertEquals(new TimeoutNow(CLUSTER, "a", "b", 1), only(a.ready(), TimeoutNow.class));

        NotLeaderException refused = assertThrows(NotLeaderException.class, () -> a.submit(1, new byte[] {1}));
        assertTrue(refused.getMessage().contains("handing leadership to b"), refused.getMessage());
        assertNull(refused.leaderId());
        a.receive(new CommandRequest(CLUSTER, "c", "a", 1, 9, new byte[] {2}));
        CommandResponse answer = only(a.ready(), CommandResponse.class);
        assertEquals(CommandResponse.Status.NOT_LEADER, answer.status());
        assertNull(answer.leaderHint());
        assertEquals(1, a.status().lastLogIndex(), "nothing appended during the transfer");
    }

    @Test
    void aTargetThatIsBehindIsCaughtUpFirst() {
        RaftCore a = leaderA();
        a.submit(1, bytes("x"));
        a.ready(); // x at 2
        assertEquals("c", a.transferLeadership("c"));
        assertTrue(sent(a.ready(), TimeoutNow.class).isEmpty(), "c has not acknowledged anything yet");

        a.receive(ack("c", 1, 1));
        assertTrue(sent(a.ready(), TimeoutNow.class).isEmpty(), "c matches up to 1 of 2");
        a.receive(ack("c", 1, 2));
        assertEquals(new TimeoutNow(CLUSTER, "a", "c", 1), only(a.ready(), TimeoutNow.class));
        a.receive(ack("c", 1, 2)); // a heartbeat's acknowledgement: sent again, in case the first was lost
        assertEquals(1, sent(a.ready(), TimeoutNow.class).size());
    }

    @Test
    void aTransferThatDoesNotCompleteIsAbandonedAndTheLeaderLeadsOn() {
        RaftCore a = leaderA();
        a.transferLeadership("c"); // c never answers; b keeps acknowledging (CheckQuorum)
        a.ready();
        long end = now + CONFIG.electionTimeoutMaxMs();
        while (now < end) {
            now += CONFIG.heartbeatIntervalMs();
            a.tick(now);
            a.receive(ack("b", 1, 1));
            a.ready();
            if (now < end) {
                assertThrows(NotLeaderException.class, () -> a.submit(0, bytes("still transferring")));
            }
        }
        assertEquals(Role.LEADER, a.status().role());
        a.submit(1, bytes("accepted again"));
        a.ready();
        assertEquals(2, a.status().lastLogIndex());
    }

    @Test
    void aPickedTargetThatWentSilentGivesWayToAFollowerThatAnswers() {
        RaftCore a = leaderA();
        a.receive(ack("c", 1, 1));
        now += 10;
        a.tick(now);
        a.receive(ack("b", 1, 1)); // b heard last: picked; then b goes down
        a.ready();
        assertEquals("b", a.transferLeadership(null));
        a.ready();
        for (int beat = 0; beat < 3; beat++) {
            now += CONFIG.heartbeatIntervalMs();
            a.tick(now);
            a.receive(ack("c", 1, 1));
            List<TimeoutNow> told = sent(a.ready(), TimeoutNow.class);
            if (!told.isEmpty()) {
                assertEquals("c", told.get(0).to());
                return;
            }
        }
        throw new AssertionError("c, which kept answering, was never told to take over");
    }

    @Test
    void aPickedTransferIsAbandonedEarlyWhenNoFollowerAnswers() {
        RaftCore a = leaderA();
        a.transferLeadership(null);
        a.ready();
        now += 3 * CONFIG.heartbeatIntervalMs();
        a.tick(now);
        a.ready();
        assertTrue(a.isTransferringLeadership(), "a few silent heartbeats may be a slow moment");
        now += CONFIG.electionTimeoutMinMs() - 3 * CONFIG.heartbeatIntervalMs();
        a.tick(now);
        a.ready();
        assertFalse(a.isTransferringLeadership(), "abandoned at the minimum election timeout, before the deadline");
        assertEquals(Role.LEADER, a.status().role());
    }

    @Test
    void theTargetCampaignsAtOnceWithoutPreVoteAndFlagsItsVoteRequests() {
        RaftCore b = new RaftCore("b", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(150), 0);
        b.receive(append("a", "b", 1, 0, 0, 1, entry(1, 1)));
        b.ready();
        b.receive(new TimeoutNow(CLUSTER, "a", "b", 1));
        assertEquals(Role.CANDIDATE, b.status().role(), "no pre-vote, no waiting for the election timeout");
        assertEquals(2, b.status().term());
        List<VoteRequest> requests = sent(b.ready(), VoteRequest.class);
        assertEquals(2, requests.size());
        assertTrue(requests.stream().allMatch(VoteRequest::leadershipTransfer));
    }

    @Test
    void aStaleOrRepeatedTimeoutNowChangesNothing() {
        RaftCore b = new RaftCore("b", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(150), 0);
        b.receive(append("a", "b", 2, 0, 0, 0));
        b.ready();
        b.receive(new TimeoutNow(CLUSTER, "a", "b", 1));
        assertEquals(Role.FOLLOWER, b.status().role(), "from an older term");
        assertEquals(2, b.status().term());

        b.receive(new TimeoutNow(CLUSTER, "a", "b", 2));
        b.receive(new TimeoutNow(CLUSTER, "a", "b", 2)); // a duplicate: b is a candidate of term 3 by now
        assertEquals(3, b.status().term(), "one campaign, not two");
    }

    @Test
    void aVoterInTouchWithTheLeaderGrantsATransferVoteButIgnoresAnOrdinaryOne() {
        RaftCore c = new RaftCore("c", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(150), 0);
        c.receive(append("a", "c", 1, 0, 0, 1, entry(1, 1)));
        c.ready();

        c.receive(new VoteRequest(CLUSTER, "b", "c", 2, 1, 1, false));
        assertTrue(c.ready().isEmpty(), "the lease: a live leader is known");
        assertEquals(1, c.status().term());

        c.receive(new VoteRequest(CLUSTER, "b", "c", 2, 1, 1, true));
        VoteResponse vote = only(c.ready(), VoteResponse.class);
        assertTrue(vote.granted());
        assertEquals(2, vote.term());
    }

    @Test
    void threeCoresHandOverWithinAFewMessagesNotAnElectionTimeout() {
        TestCluster cluster = new TestCluster(CONFIG, 5, "a", "b", "c");
        String leader = cluster.awaitLeader(2_000);
        long term = cluster.core(leader).status().term();
        cluster.advance(100);
        String target = cluster.core(leader).transferLeadership(null);

        cluster.drain(); // deliver everything, no time passing
        assertEquals(target, cluster.leader());
        assertEquals(term + 1, cluster.core(target).status().term());
        assertEquals(Role.FOLLOWER, cluster.core(leader).status().role());
        cluster.advance(100);
        assertEquals(target, cluster.leader(), "and it stays leader");
    }

    @Test
    void onlyALeaderHandsOverAndOnlyToAnotherVoter() {
        RaftCore a = leaderA();
        assertThrows(IllegalArgumentException.class, () -> a.transferLeadership("a"));
        assertThrows(IllegalArgumentException.class, () -> a.transferLeadership("z"));
        RaftCore b = new RaftCore("b", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(150), 0);
        assertThrows(NotLeaderException.class, () -> b.transferLeadership("c"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
