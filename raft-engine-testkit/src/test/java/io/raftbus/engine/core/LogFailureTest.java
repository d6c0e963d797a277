package io.raftbus.engine.core;

import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A LogAPI exception leaves the core as it was: nothing acknowledged that is not durable, no proposal lost. */
class LogFailureTest {

    private static RaftCore core(CountingLog log) {
        return new RaftCore("a", CLUSTER, ABC, plain(), log, 0, fixedTimeout(100), 0);
    }

    @Test
    void aVoteThatCannotBeMadeDurableIsNotSent() {
        CountingLog log = new CountingLog();
        RaftCore a = core(log);
        log.failSaveHardState = true;
        assertThrows(LogException.class, () -> a.receive(new VoteRequest(CLUSTER, "b", "a", 1, 0, 0)));
        assertTrue(a.ready().messages().isEmpty());
        assertEquals(0, a.status().term());
        assertEquals(HardState.INITIAL, log.loadHardState());

        log.failSaveHardState = false;
        a.receive(new VoteRequest(CLUSTER, "b", "a", 1, 0, 0));
        assertTrue(only(a.ready(), VoteResponse.class).granted());
        assertEquals(new HardState(1, "b"), log.loadHardState());
    }

    @Test
    void entriesThatCannotBeMadeDurableAreNotAcknowledged() {
        CountingLog log = new CountingLog();
        RaftCore a = core(log);
        log.failAppends = true;
        assertThrows(LogException.class, () -> a.receive(append("b", "a", 1, 0, 0, 1, entry(1, 1))));
        assertTrue(a.ready().messages().isEmpty());
        assertEquals(0, a.status().lastLogIndex());
        assertEquals(0, a.status().commitIndex());

        log.failAppends = false;
        a.receive(append("b", "a", 1, 0, 0, 1, entry(1, 1)));
        AppendEntriesResponse ok = only(a.ready(), AppendEntriesResponse.class);
        assertTrue(ok.success());
        assertEquals(1, ok.matchIndex());
    }

    @Test
    void aReadErrorInTheMiddleOfAnOverwriteLosesNoProposal() {
        CountingLog log = new CountingLog();
        RaftCore a = new RaftCore("a", CLUSTER, ABC, plain(), log, 0, fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true)); // leader of term 1, no-op at 1
        a.submit(1, new byte[] {1});
        a.submit(2, new byte[] {2});
        a.ready(); // proposals at 2 and 3 (term 1)

        // leader c of term 2 overwrites 2..4. termAt calls: prev 1, then the conflict scan at 2, which fails
        log.failTermAtCall = 2;
        assertThrows(LogException.class,
                () -> a.receive(append("c", "a", 2, 1, 1, 0, entry(2, 2), entry(3, 2), entry(4, 2))));
        assertEquals(Role.FOLLOWER, a.status().role());
        assertEquals(3, a.status().lastLogIndex(), "nothing truncated");
        assertTrue(a.ready().failures().isEmpty(), "undecided, but still tracked");

        a.receive(append("c", "a", 2, 1, 1, 4, entry(2, 2), entry(3, 2), entry(4, 2))); // resent, now committed
        Ready ready = a.ready();
        assertEquals(4, ready.committed().size());
        assertEquals(List.of(1L, 2L), ready.failures().stream().map(ProposalFailure::proposalId).toList());
        ready.failures().forEach(f -> assertInstanceOf(CommandNotCommittedException.class, f.cause()));
        assertTrue(ready.committed().stream().allMatch(c -> c.waiters().isEmpty()));
    }

    @Test
    void aProposalTruncatedJustBeforeAFailedAppendIsDecidedWhenTheNewLeaderCommits() {
        CountingLog log = new CountingLog();
        RaftCore a = new RaftCore("a", CLUSTER, ABC, plain(), log, 0, fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        a.submit(1, new byte[] {1});
        a.ready(); // proposal at 2 (term 1)

        // leader c of term 2 (log ending at 1@1) replaces 2 with its no-op: the truncation succeeds, the append fails
        log.failAppends = true;
        assertThrows(LogException.class, () -> a.receive(append("c", "a", 2, 1, 1, 0, entry(2, 2))));
        assertEquals(1, a.status().lastLogIndex());
        log.failAppends = false;
        a.receive(append("c", "a", 2, 1, 1, 1)); // a heartbeat: nothing to append, nothing to truncate
        assertTrue(a.ready().failures().isEmpty(), "index 2 is not decided yet");

        a.receive(append("c", "a", 2, 1, 1, 2, entry(2, 2))); // c's no-op at 2, committed
        Ready ready = a.ready();
        assertEquals(1, ready.failures().size(), "not left waiting: what committed at 2 decides");
        assertInstanceOf(CommandNotCommittedException.class, ready.failures().get(0).cause());
    }

    @Test
    void aReadErrorWhileHandlingAnAcceptanceLosesNothing() {
        CountingLog log = new CountingLog();
        RaftCore f = core(log);
        f.receive(append("b", "a", 1, 0, 0, 0));
        f.submit(7, new byte[] {7});
        f.ready();
        f.receive(append("b", "a", 1, 0, 0, 2, entry(1, 1), entry(2, 1)));
        assertEquals(2, f.ready().committed().size());

        CommandResponse accepted = new CommandResponse(CLUSTER, "b", "a", 1, 7, CommandResponse.Status.ACCEPTED, 1,
                1, "b", new byte[0], null);
        log.failTermAtCall = 1;
        assertThrows(LogException.class, () -> f.receive(accepted));
        f.receive(accepted); // the network's duplicate, or the leader's answer to a retry
        assertEquals(List.of(new LateAcceptance(7, 1)), f.ready().lateAcceptances());
        assertNull(f.status().matchIndex().get("b"));
    }
}
