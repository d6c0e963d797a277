package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.Test;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RaftCore#nextDeadline()}: the earliest time-driven work of each role, so that a runtime sleeping until it
 * misses no timer, and before it nothing happens by itself.
 */
class NextDeadlineTest {

    /** Election timeouts 150 ms (the fixed offset 0), PreVote and CheckQuorum off. */
    private static final RaftConfig CONFIG = Fixtures.plain();

    /**
     * a, elected at 150 with b's vote and ack, which commits the no-op: b is owed the commit index, and a wakes to send
     * it {@link RaftConfig#commitNoticeDelayMs()} later (nothing else carries it); then heartbeats are due from 180.
     */
    private static RaftCore leaderA(RaftConfig config) {
        RaftCore a = core("a", ABC, config, new InMemoryLog(), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        a.ready();
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 1, 0, 0, 0, 1));
        a.ready();
        assertSame(Role.LEADER, a.status().role());
        long noticeAt = 150 + config.commitNoticeDelayMs();
        assertEquals(noticeAt, a.nextDeadline(), "the commit notice owed to b");
        a.tick(noticeAt);
        assertEquals(1, sent(a.ready(), AppendEntriesRequest.class).size(), "the notice to b");
        return a;
    }

    @Test
    void aFollowerWakesForItsElectionTimeoutWhichEachAppendPostpones() {
        RaftCore b = core("b", ABC, CONFIG, new InMemoryLog(), 20);
        assertEquals(170, b.nextDeadline());

        b.tick(169);
        assertSame(Ready.EMPTY, b.ready(), "nothing happens before the deadline");
        assertEquals(170, b.nextDeadline());

        b.receive(append("a", "b", 1, 0, 0, 0));
        b.ready();
        assertEquals(169 + 170, b.nextDeadline(), "the leader's append restarts the timeout");

        b.tick(b.nextDeadline());
        assertEquals(2, sent(b.ready(), VoteRequest.class).size(), "the election starts at the deadline");
        assertEquals(339 + 170, b.nextDeadline(), "a candidate's next deadline is its new election timeout");
    }

    @Test
    void aLeaderWakesForEachHeartbeat() {
        RaftCore a = leaderA(CONFIG);
        assertEquals(180, a.nextDeadline());

        a.tick(179);
        assertTrue(a.ready().messages().isEmpty(), "no heartbeat before the deadline");

        a.tick(180);
        assertEquals(2, sent(a.ready(), AppendEntriesRequest.class).size(), "the heartbeat goes at the deadline");
        assertEquals(210, a.nextDeadline());
    }

    @Test
    void aLeaderWakesForCheckQuorumWhenItComesBeforeTheNextHeartbeat() {
        RaftCore a = leaderA(CONFIG.toBuilder().checkQuorum(true).heartbeatIntervalMs(149).build());
        assertEquals(299, a.nextDeadline(), "heartbeat at 150 + 149");
        a.tick(299);
        a.ready();
        assertEquals(300, a.nextDeadline(), "CheckQuorum at 150 + 150, before the heartbeat at 448");

        a.tick(300);
        a.ready();
        assertSame(Role.LEADER, a.status().role(), "b was heard from within the minimum election timeout");
        assertEquals(448, a.nextDeadline(), "CheckQuorum ran and is due again at 450, after the heartbeat");
    }

    @Test
    void aLeaderWakesForTheDeadlineOfATransferUnderWay() {
        RaftCore a = leaderA(CONFIG.toBuilder().electionTimeoutMs(150, 160).heartbeatIntervalMs(149).build());
        a.tick(155);
        a.transferLeadership("c"); // c never answered: the transfer cannot complete
        a.ready();
        a.tick(299);
        a.ready();
        assertEquals(155 + 160, a.nextDeadline(), "the transfer's deadline, before the heartbeat at 448");

        a.tick(315);
        a.ready();
        assertTrue(!a.isTransferringLeadership(), "the transfer is abandoned at its deadline");
        assertEquals(448, a.nextDeadline());
    }

    @Test
    void aLocalProposalsDeadlineComesFirstWhenItIsTheEarliest() {
        RaftCore a = leaderA(CONFIG.toBuilder().commandTimeoutMs(20).forwardTimeoutMs(20).build());
        a.tick(155);
        a.submit(1, new byte[] {1}); // c never acknowledges and b is not asked again: it cannot commit
        a.ready();
        assertEquals(175, a.nextDeadline(), "the command's deadline, before the heartbeat at 180");

        a.tick(175);
        Ready ready = a.ready();
        assertEquals(1, ready.failures().size());
        assertInstanceOf(CommandOutcomeUnknownException.class, ready.failures().get(0).cause());
        assertEquals(180, a.nextDeadline(), "settled: back to the heartbeat");
    }

    @Test
    void aForwardsDeadlineComesFirstWhenItIsTheEarliest() {
        RaftCore b = core("b", ABC, CONFIG.toBuilder().forwardTimeoutMs(15).build(), new InMemoryLog(), 20);
        b.receive(append("a", "b", 1, 0, 0, 0)); // at 0: a leads term 1, election timeout at 170
        b.ready();
        b.tick(100);
        b.submit(7, new byte[] {7});
        b.ready();
        assertEquals(115, b.nextDeadline(), "the forward's deadline, before the election timeout at 170");

        b.tick(115);
        assertEquals(1, b.ready().failures().size(), "the forward fails at its deadline");
        assertEquals(170, b.nextDeadline());
    }
}
