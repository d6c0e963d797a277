package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader's commit-index notices ({@link RaftConfig#commitNoticeDelayMs()}), on the test's clock: a follower owed
 * the commit index learns it from the next AppendEntries to it, else from an empty one once the delay passed; one
 * that waits on it (a forwarded read or command) is told at the end of the step, as is every follower once a
 * configuration entry commits or while leadership is being handed over; with the option 0 every notice goes at once;
 * and a leader with nothing owed sleeps until its heartbeat.
 */
class CommitNoticeTest {

    private static final long DELAY = 2;
    private static final RaftConfig CONFIG = plain().toBuilder().commitNoticeDelayMs(DELAY).build();

    private RaftCore leader;
    private long now;

    /** a leads term 1; b and c hold its no-op (index 1), which committed, and were told so: both pipeline. */
    @BeforeEach
    void electLeaderWithTwoPipeliningFollowers() {
        leader = leaderWith(CONFIG);
    }

    private RaftCore leaderWith(RaftConfig config) {
        RaftCore core = new RaftCore("a", CLUSTER, ABC, config, new InMemoryLog(), 0, fixedTimeout(0), 0);
        now = 150;
        core.tick(now);
        core.ready();
        core.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        core.ready();
        core.receive(ack("b", 1));
        core.receive(ack("c", 1));
        core.ready();
        now += config.commitNoticeDelayMs();
        core.tick(now);
        core.ready();
        return core;
    }

    private static AppendEntriesResponse ack(String from, long match) {
        return new AppendEntriesResponse(CLUSTER, from, "a", 1, true, match, 0, 0, 0, match);
    }

    private static List<AppendEntriesRequest> to(String node, Ready ready) {
        return sent(ready, AppendEntriesRequest.class).stream().filter(m -> m.to().equals(node)).toList();
    }

    private static List<AppendEntriesRequest> empty(String node, Ready ready) {
        return to(node, ready).stream().filter(m -> m.entries().isEmpty()).toList();
    }

    /** Submits one command and hands its AppendEntries out. */
    private Ready submitOne(long proposalId) {
        leader.submit(proposalId, new byte[] {(byte) proposalId});
        return leader.ready();
    }

    @Test
    void theNextAppendEntriesCarriesTheNoticeAndNoneIsSentAlone() {
        submitOne(1); // index 2
        leader.receive(ack("b", 2));
        leader.receive(ack("c", 2));
        Ready afterAcks = leader.ready();
        assertEquals(2, leader.status().commitIndex());
        assertTrue(empty("b", afterAcks).isEmpty() && empty("c", afterAcks).isEmpty(),
                "no AppendEntries with only the commit index at once");

        Ready next = submitOne(2); // index 3, tens of microseconds later with one command at a time
        for (String follower : List.of("b", "c")) {
            AppendEntriesRequest carrying = to(follower, next).get(0);
            assertEquals(3, carrying.lastIndex());
            assertEquals(2, carrying.leaderCommit(), follower + " learns the commit index from the next command");
        }
        now += DELAY;
        leader.tick(now);
        Ready atDeadline = leader.ready();
        assertTrue(empty("b", atDeadline).isEmpty() && empty("c", atDeadline).isEmpty(),
                "the notice was carried: nothing is sent at the deadline");
    }

    @Test
    void withNothingFollowingTheNoticeIsSentAtTheDeadline() {
        submitOne(1);
        leader.receive(ack("b", 2));
        leader.receive(ack("c", 2));
        leader.ready();
        assertEquals(now + DELAY, leader.nextDeadline(), "the leader wakes for the owed notice");

        now += DELAY - 1;
        leader.tick(now);
        assertTrue(empty("b", leader.ready()).isEmpty(), "not before the delay");
        now += 1;
        leader.tick(now);
        Ready due = leader.ready();
        for (String follower : List.of("b", "c")) {
            List<AppendEntriesRequest> notice = empty(follower, due);
            assertEquals(1, notice.size());
            assertEquals(2, notice.get(0).prevLogIndex(), "at its match index");
            assertEquals(2, notice.get(0).leaderCommit());
        }
    }

    @Test
    void anIdleLeaderWakesOnlyForItsHeartbeatOnceNoNoticeIsOwed() {
        long heartbeatAt = leader.nextDeadline();
        assertTrue(heartbeatAt > now + DELAY, "nothing owed after the setup: the heartbeat is the next deadline");

        submitOne(1);
        leader.receive(ack("b", 2));
        leader.receive(ack("c", 2));
        leader.ready();
        submitOne(2); // carries the commit index to both
        assertEquals(heartbeatAt, leader.nextDeadline(), "carried notices leave no deadline behind");
    }

    @Test
    void aFollowerWhoseForwardedReadWaitsIsToldAtTheEndOfTheStep() {
        submitOne(1); // index 2
        leader.receive(ack("c", 2)); // commits 2; b has not acknowledged it yet
        leader.ready();
        leader.receive(new CommandRequest(CLUSTER, "b", "a", 1, 7, new byte[] {1}, true));
        Ready round = leader.ready(); // the read round starts at read index 2
        assertEquals(1, empty("b", round).get(0).prevLogIndex(),
                "the round's AppendEntries goes at b's match: b learns a commit index of 1 from it, not 2");

        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 2, 0, 0, 0, 2, 1));
        Ready answered = leader.ready();
        List<AppendEntriesRequest> notice = empty("b", answered);
        assertEquals(1, notice.size(), "b waits to apply the read index: told at once, not after the delay");
        assertEquals(2, notice.get(0).leaderCommit());
        assertTrue(empty("c", answered).isEmpty());
    }

    @Test
    void aFollowerWhoseForwardedCommandWaitsIsToldAtTheEndOfTheStep() {
        leader.receive(new CommandRequest(CLUSTER, "b", "a", 1, 7, new byte[] {1}));
        leader.ready(); // appended at 2, ACCEPTED to b
        leader.receive(ack("c", 2));
        leader.receive(ack("b", 2));
        Ready committed = leader.ready();
        assertEquals(2, leader.status().commitIndex());
        assertEquals(2, empty("b", committed).get(0).leaderCommit(), "b's caller waits until b applies index 2");
        assertTrue(empty("c", committed).isEmpty(), "c waits on nothing: its notice waits for the delay");
    }

    @Test
    void aCommittedConfigurationEntryIsToldToEveryFollowerAtTheEndOfTheStep() {
        leader.changeMembership(9, new MembershipChange(MembershipChange.Kind.ADD_LEARNER, "d"));
        leader.ready(); // the CONFIG entry at index 2, in force at once: d is a learner
        leader.receive(ack("b", 2));
        leader.receive(ack("c", 2));
        Ready committed = leader.ready();
        assertEquals(2, leader.status().commitIndex());
        for (String follower : List.of("b", "c")) {
            List<AppendEntriesRequest> notice = empty(follower, committed);
            assertEquals(1, notice.size(), follower + " learns at once that the configuration committed");
            assertEquals(2, notice.get(0).leaderCommit());
        }
    }

    @Test
    void whileLeadershipIsHandedOverEveryNoticeGoesAtTheEndOfTheStep() {
        submitOne(1); // index 2
        assertEquals("b", leader.transferLeadership("b"), "b (match 1) is behind: the transfer waits for it");
        leader.ready();
        leader.receive(ack("c", 2)); // commits 2 with c
        Ready committed = leader.ready();
        assertEquals(2, leader.status().commitIndex());
        List<AppendEntriesRequest> toC = empty("c", committed);
        assertEquals(1, toC.size(), "c is told at once during the transfer, not after the delay");
        assertEquals(2, toC.get(0).leaderCommit());

        leader.receive(ack("b", 2)); // b caught up: it is told to campaign, and told the commit index at once
        Ready caughtUp = leader.ready();
        assertEquals(1, sent(caughtUp, TimeoutNow.class).size());
        List<AppendEntriesRequest> toB = empty("b", caughtUp);
        assertEquals(1, toB.size(), "b is told at once during the transfer");
        assertEquals(2, toB.get(0).leaderCommit());
    }

    @Test
    void withTheOptionZeroEveryNoticeGoesAtOnce() {
        leader = leaderWith(CONFIG.toBuilder().commitNoticeDelayMs(0).build());
        submitOne(1);
        leader.receive(ack("b", 2));
        assertEquals(2, empty("b", leader.ready()).get(0).leaderCommit());
    }
}
