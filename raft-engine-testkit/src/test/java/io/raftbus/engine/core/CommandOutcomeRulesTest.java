package io.raftbus.engine.core;

import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.leaderA;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each command gets the one outcome that is true of it: duplicates and retries are answered with the first answer
 * whatever the node's role by then, commands certainly not appended fail as retriable, and a local proposal without
 * an outcome by its deadline fails as "outcome unknown" (a read: "not served") and gets no second outcome.
 */
class CommandOutcomeRulesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }


    private static CommandResponse answerTo(Ready ready, String to) {
        return sent(ready, CommandResponse.class).stream().filter(r -> r.to().equals(to)).findFirst().orElseThrow();
    }

    @Test
    void aDuplicateOfAnAppendedForwardIsAnsweredWithItsIndexDuringATransferAndAfterStepDown() {
        RaftCore a = leaderA(new InMemoryLog(), plain());
        CommandRequest forward = new CommandRequest(CLUSTER, "b", "a", 1, 9, bytes("m"));
        a.receive(forward);
        CommandResponse first = answerTo(a.ready(), "b");
        assertEquals(CommandResponse.Status.ACCEPTED, first.status());

        a.transferLeadership("c");
        a.ready();
        a.receive(forward); // a network duplicate during the transfer
        CommandResponse during = answerTo(a.ready(), "b");
        assertEquals(CommandResponse.Status.ACCEPTED, during.status(), "not NOT_LEADER: the first copy is appended");
        assertEquals(first.index(), during.index());
        assertEquals(first.entryTerm(), during.entryTerm());

        a.receive(append("c", "a", 2, 0, 0, 0)); // c leads term 2: a steps down
        a.ready();
        assertEquals(Role.FOLLOWER, a.status().role());
        a.receive(forward);
        CommandResponse after = answerTo(a.ready(), "b");
        assertEquals(CommandResponse.Status.ACCEPTED, after.status());
        assertEquals(first.index(), after.index());
        assertEquals(first.entryTerm(), after.entryTerm());
    }

    @Test
    void aDuplicateOfARefusedForwardIsRefusedAgainNotAppended() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = leaderA(log, plain());
        a.transferLeadership("c");
        a.ready();
        CommandRequest forward = new CommandRequest(CLUSTER, "b", "a", 1, 9, bytes("m"));
        a.receive(forward);
        assertEquals(CommandResponse.Status.NOT_LEADER, answerTo(a.ready(), "b").status());

        a.tick(150 + plain().electionTimeoutMaxMs()); // the transfer is abandoned: a leads on
        a.ready();
        assertTrue(!a.isTransferringLeadership() && a.status().role() == Role.LEADER);
        a.receive(forward); // the duplicate: b already failed the proposal as certainly not applied
        assertEquals(CommandResponse.Status.NOT_LEADER, answerTo(a.ready(), "b").status());
        assertEquals(1, log.lastIndex(), "only the no-op");
    }

    @Test
    void aCommandTheLeaderCouldNotAppendFailsAsRetriableHereAndOnTheForwardingFollower() {
        CountingLog log = new CountingLog();
        RaftCore a = leaderA(log, plain());
        log.failAppends = true;
        a.submit(1, bytes("x"));
        CommandRequest forward = new CommandRequest(CLUSTER, "b", "a", 1, 9, bytes("z"));
        a.receive(forward);
        Ready ready = a.ready();
        assertInstanceOf(CommandNotAppendedException.class, ready.failures().get(0).cause());
        CommandResponse rejected = only(ready, CommandResponse.class);
        assertEquals(CommandResponse.Status.REJECTED, rejected.status());

        log.failAppends = false;
        a.receive(forward); // a duplicate is not appended after its first copy was refused
        assertEquals(CommandResponse.Status.REJECTED, only(a.ready(), CommandResponse.class).status());
        assertEquals(1, a.status().lastLogIndex());

        RaftCore b = core("b", ABC, plain(), new InMemoryLog(), 100);
        b.receive(append("a", "b", 1, 0, 0, 0));
        b.submit(9, bytes("z"));
        b.ready();
        b.receive(new CommandResponse(CLUSTER, "a", "b", 1, 9, rejected.status(), 0, 0, "a", new byte[0],
                rejected.error()));
        ProposalFailure failure = b.ready().failures().get(0);
        assertInstanceOf(CommandNotAppendedException.class, failure.cause());
        assertTrue(failure.cause().getMessage().contains("could not append"), failure.cause().getMessage());
    }

    @Test
    void aCommandWhoseAppendFailedPermanentlyHasAnUnknownOutcomeHereAndOnTheForwardingFollower() {
        CountingLog log = new CountingLog();
        RaftCore a = leaderA(log, plain());
        log.failAppends = true;
        log.failAppendsPermanently = true; // a failed fsync: the entries may be on disk after a restart
        a.submit(1, bytes("x"));
        a.receive(new CommandRequest(CLUSTER, "b", "a", 1, 9, bytes("z")));
        Ready ready = a.ready();
        assertInstanceOf(CommandOutcomeUnknownException.class, ready.failures().get(0).cause());
        CommandResponse rejected = only(ready, CommandResponse.class);

        RaftCore b = core("b", ABC, plain(), new InMemoryLog(), 100);
        b.receive(append("a", "b", 1, 0, 0, 0));
        b.submit(9, bytes("z"));
        b.ready();
        b.receive(new CommandResponse(CLUSTER, "a", "b", 1, 9, rejected.status(), 0, 0, "a", new byte[0],
                rejected.error()));
        assertInstanceOf(CommandOutcomeUnknownException.class, b.ready().failures().get(0).cause());
    }

    @Test
    void aClientRetryOfAnAppendedCommandGetsItsOutcomeBeforeAndAfterItIsApplied() {
        RaftCore a = leaderA(new InMemoryLog(), plain());
        CommandRequest request = new CommandRequest(CLUSTER, "client-1", "a", 0, 9, bytes("k"));
        a.receive(request);
        a.ready();
        a.receive(request); // retry before the commit: one answer when applied, not two
        assertTrue(sent(a.ready(), CommandResponse.class).isEmpty());
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 2, 0, 0, 0, 2));
        List<CommittedEntry> committed = a.ready().committed();
        assertEquals(List.of(new Waiter.Remote("client-1", 9)), committed.get(1).waiters());

        a.receive(request); // retry after it was applied: answered with the recorded result
        Ready ready = a.ready();
        assertEquals(List.of(new LateAcceptance(new Waiter.Remote("client-1", 9), 2)), ready.lateAcceptances());

        a.receive(append("c", "a", 2, 2, 1, 2)); // deposed: still answers, the entry is applied
        a.ready();
        a.receive(request);
        assertEquals(List.of(new LateAcceptance(new Waiter.Remote("client-1", 9), 2)), a.ready().lateAcceptances());
    }

    @Test
    void aPartitionedLeadersCommandAndReadFailAtTheirDeadlineAndNeverCompleteTwice() {
        RaftConfig config = plain().toBuilder().forwardTimeoutMs(1_000).commandTimeoutMs(2_000).build();
        RaftCore a = leaderA(new InMemoryLog(), config); // CheckQuorum off: it leads on, alone
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 1, 0, 0, 0, 1));
        a.ready(); // its no-op committed, so reads may start a round
        a.submit(1, bytes("x"));
        a.submitRead(2, bytes("q"));
        a.ready();
        a.tick(150 + 1_999);
        assertTrue(a.ready().failures().isEmpty());
        a.tick(150 + 2_000);
        List<ProposalFailure> failures = a.ready().failures();
        assertEquals(2, failures.size());
        CommandOutcomeUnknownException unknown = assertInstanceOf(CommandOutcomeUnknownException.class,
                failures.get(0).cause());
        assertTrue(unknown.getMessage().contains("2000 ms") && unknown.getMessage().contains("majority"),
                unknown.getMessage());
        assertInstanceOf(ReadNotServedException.class, failures.get(1).cause());

        // the partition heals: the command commits and the read round is confirmed, but neither completes again
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 2, 0, 0, 0, 2, 1));
        Ready later = a.ready();
        assertEquals(2, a.status().commitIndex());
        assertTrue(later.committed().stream().allMatch(c -> c.waiters().isEmpty()));
        assertTrue(later.reads().isEmpty() && later.failures().isEmpty());
    }

    @Test
    void aForwardedCommandAcceptedButNeverAppliedHereFailsAtTheCommandDeadline() {
        RaftConfig config = plain().toBuilder().forwardTimeoutMs(500).commandTimeoutMs(800).build();
        RaftCore b = core("b", ABC, config, new InMemoryLog(), 10_000);
        b.receive(append("a", "b", 1, 0, 0, 0));
        b.submit(7, bytes("x"));
        b.ready();
        b.receive(new CommandResponse(CLUSTER, "a", "b", 1, 7, CommandResponse.Status.ACCEPTED, 1, 1, "a",
                new byte[0], null));
        b.tick(799);
        assertTrue(b.ready().failures().isEmpty(), "acknowledged: the forward deadline no longer applies");
        b.tick(800);
        assertInstanceOf(CommandOutcomeUnknownException.class, b.ready().failures().get(0).cause());
    }

    @Test
    void theCommandTimeoutIsValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> RaftConfig.builder().forwardTimeoutMs(5_000).commandTimeoutMs(4_000).build());
        assertEquals(RaftConfig.DEFAULT_COMMAND_TIMEOUT_MS, RaftConfig.defaults().commandTimeoutMs());
    }
}
