package io.raftbus.engine.core;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.leaderA;
import static io.raftbus.engine.core.Fixtures.logWithTerms;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client commands: group commit, forwarding, backpressure, deduplication, outcomes. */
class CommandsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }


    @Test
    void aCommandSubmittedOnAFollowerIsForwardedAcceptedAndCompletesWhenApplied() {
        TestCluster c = new TestCluster(TestCluster.defaultConfig(), 3, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        String follower = c.cores.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

        c.core(follower).submit(42, bytes("forwarded"));
        c.advance(200);

        assertTrue(c.delivered.stream().anyMatch(m -> m instanceof CommandResponse r
                && r.status() == CommandResponse.Status.ACCEPTED && r.to().equals(follower)));
        CommittedEntry applied = c.applied.get(follower).stream()
                .filter(e -> e.entry().type() == EntryType.COMMAND).findFirst().orElseThrow();
        assertEquals("forwarded", new String(applied.entry().payload(), StandardCharsets.UTF_8));
        assertEquals(List.of(new Waiter.Local(42)), applied.waiters());
        assertTrue(c.failures.get(follower).isEmpty());
        // the leader applies it too, without a waiter
        assertTrue(c.applied.get(leader).stream().anyMatch(e -> e.entry().type() == EntryType.COMMAND
                && e.waiters().isEmpty()));
    }

    @Test
    void aFollowerFailsFastWithoutForwardingOrWithoutAKnownLeader() {
        RaftCore fresh = core("a", ABC, plain(), new InMemoryLog(), 100);
        NotLeaderException noLeader = assertThrows(NotLeaderException.class, () -> fresh.submit(1, bytes("x")));
        assertNull(noLeader.leaderId());

        RaftCore noForward = core("a", ABC, plain().toBuilder().forwardToLeader(false).build(), new InMemoryLog(), 100);
        noForward.receive(append("b", "a", 1, 0, 0, 0));
        noForward.ready();
        NotLeaderException withHint = assertThrows(NotLeaderException.class, () -> noForward.submit(1, bytes("x")));
        assertEquals("b", withHint.leaderId());
        assertTrue(noForward.ready().messages().isEmpty());
    }

    @Test
    void aForwardWithoutAnswerFailsAsOutcomeUnknownAtItsDeadline() {
        RaftCore f = core("a", ABC, plain().toBuilder().forwardTimeoutMs(400).build(), new InMemoryLog(), 100);
        f.receive(append("b", "a", 1, 0, 0, 0));
        f.ready();
        f.submit(7, bytes("x"));
        CommandRequest forwarded = only(f.ready(), CommandRequest.class);
        assertEquals("b", forwarded.to());
        assertEquals(7, forwarded.requestId());
        f.tick(399);
        assertTrue(f.ready().failures().isEmpty());
        f.tick(400);
        ProposalFailure failure = f.ready().failures().get(0);
        assertEquals(7, failure.proposalId());
        assertInstanceOf(CommandOutcomeUnknownException.class, failure.cause());
        // a late answer is ignored
        f.receive(response("b", "a", 7, CommandResponse.Status.ACCEPTED, 1, 1, null));
        assertTrue(f.ready().isEmpty());
    }

    @Test
    void aNonLeaderAnswersCommandRequestsWithNotLeaderAndAHint() {
        RaftCore f = core("a", ABC, plain(), new InMemoryLog(), 100);
        f.receive(append("b", "a", 1, 0, 0, 0));
        f.ready();
        f.receive(new CommandRequest(CLUSTER, "client-9", "a", 0, 3, bytes("x")));
        CommandResponse r = only(f.ready(), CommandResponse.class);
        assertEquals(CommandResponse.Status.NOT_LEADER, r.status());
        assertEquals("b", r.leaderHint());
        assertEquals(3, r.requestId());
        assertEquals("client-9", r.to());
    }

    @Test
    void backpressureRefusesCommandsBeyondTheUncommittedBound() {
        RaftConfig config = plain().toBuilder().maxPendingCommands(3).maxCommandBytes(10).build();
        RaftCore a = leaderA(new InMemoryLog(), config); // the no-op is uncommitted: 1 of 3
        a.submit(1, bytes("one"));
        a.submit(2, bytes("two"));
        assertThrows(BackpressureException.class, () -> a.submit(3, bytes("three")));
        assertThrows(CommandTooLargeException.class, () -> a.submit(4, new byte[11]));
        a.ready();

        a.receive(new CommandRequest(CLUSTER, "b", "a", 1, 5, bytes("x")));
        CommandResponse refused = only(a.ready(), CommandResponse.class);
        assertEquals(CommandResponse.Status.REJECTED, refused.status());
        assertTrue(refused.error().startsWith(RaftCore.REJECTED_BACKPRESSURE), refused.error());

        // the follower that forwarded maps the refusal back to a BackpressureException
        RaftCore f = core("b", ABC, config, new InMemoryLog(), 100);
        f.receive(append("a", "b", 1, 0, 0, 0));
        f.submit(5, bytes("x"));
        f.ready();
        f.receive(new CommandResponse(CLUSTER, "a", "b", 1, 5, CommandResponse.Status.REJECTED, 0, 0, "a",
                new byte[0], refused.error()));
        assertInstanceOf(BackpressureException.class, f.ready().failures().get(0).cause());

        // once the entries commit, there is room again
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 3, 0, 0, 0, 3));
        assertEquals(3, a.status().commitIndex());
        a.submit(6, bytes("six"));
    }

    @Test
    void groupCommitAppendsAllBufferedCommandsInOneLogWrite() {
        CountingLog log = new CountingLog();
        RaftCore a = leaderA(log, plain());
        assertEquals(List.of(1), log.appendBatchSizes, "the no-op");
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 1, 0, 0, 0, 1)); // b now pipelines
        a.ready();
        for (int i = 0; i < 5; i++) {
            a.submit(i, bytes("c" + i));
        }
        assertEquals(List.of(1), log.appendBatchSizes, "nothing written until ready()");
        Ready ready = a.ready();
        assertEquals(List.of(1, 5), log.appendBatchSizes, "one append for five commands");
        var toB = sent(ready, io.raftbus.engine.message.AppendEntriesRequest.class).stream()
                .filter(m -> m.to().equals("b")).toList();
        assertEquals(1, toB.size());
        assertEquals(5, toB.get(0).entries().size(), "replicated after the durable write, in one batch");
    }

    @Test
    void consecutiveForwardedCommandsShareOneGroupCommit() {
        CountingLog log = new CountingLog();
        RaftCore a = leaderA(log, plain());
        for (int i = 0; i < 4; i++) {
            a.receive(new CommandRequest(CLUSTER, i % 2 == 0 ? "b" : "c", "a", 1, i, bytes("f" + i)));
        }
        Ready ready = a.ready();
        assertEquals(List.of(1, 4), log.appendBatchSizes);
        assertEquals(List.of(2L, 3L, 4L, 5L), sent(ready, CommandResponse.class).stream()
                .map(CommandResponse::index).toList(), "ACCEPTED only after the durable write");
    }

    @Test
    void aFailedGroupCommitFailsEachProposalAndLeavesTheCoreUnchanged() {
        CountingLog log = new CountingLog();
        RaftCore a = leaderA(log, plain());
        log.failAppends = true;
        a.submit(1, bytes("x"));
        a.submit(2, bytes("y"));
        a.receive(new CommandRequest(CLUSTER, "c", "a", 1, 9, bytes("z")));
        Ready ready = a.ready();
        assertEquals(List.of(1L, 2L), ready.failures().stream().map(ProposalFailure::proposalId).toList());
        ready.failures().forEach(f -> assertInstanceOf(CommandNotAppendedException.class, f.cause()));
        assertEquals(CommandResponse.Status.REJECTED, only(ready, CommandResponse.class).status());
        assertTrue(sent(ready, io.raftbus.engine.message.AppendEntriesRequest.class).isEmpty(), "nothing replicated");
        assertEquals(1, a.status().lastLogIndex());

        log.failAppends = false;
        a.submit(3, bytes("w"));
        a.ready();
        assertEquals(2, a.status().lastLogIndex());
        assertEquals(2, log.lastIndex());
    }

    @Test
    void aDuplicatedCommandRequestIsAppendedOnceAndAnsweredAgain() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = leaderA(log, plain());
        CommandRequest fromMember = new CommandRequest(CLUSTER, "b", "a", 1, 9, bytes("m"));
        CommandRequest fromClient = new CommandRequest(CLUSTER, "client-1", "a", 0, 9, bytes("k"));
        a.receive(fromMember);
        a.receive(fromMember); // duplicate before the group commit
        a.receive(fromClient);
        a.receive(fromClient);
        List<CommandResponse> first = sent(a.ready(), CommandResponse.class);
        a.receive(fromMember); // duplicate after
        a.receive(fromClient);
        List<CommandResponse> second = sent(a.ready(), CommandResponse.class);

        assertEquals(3, log.lastIndex(), "no-op + one entry per distinct request");
        assertEquals(1, first.size(), "one ACCEPTED for the member's request; clients get none");
        assertEquals(CommandResponse.Status.ACCEPTED, first.get(0).status());
        assertEquals(2, first.get(0).index());
        assertEquals(1, first.get(0).entryTerm());
        assertEquals(first.get(0).index(), second.get(0).index(), "the duplicate is answered with the same index");

        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 3, 0, 0, 0, 3));
        List<CommittedEntry> committed = a.ready().committed();
        assertEquals(List.of(new Waiter.Remote("client-1", 9)), committed.get(2).waiters());
        assertTrue(committed.get(1).waiters().isEmpty(), "the forwarding member waits on its own node");
    }

    @Test
    void aReusedRequestIdWithADifferentCommandIsNotMistakenForADuplicate() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = leaderA(log, plain());
        a.receive(new CommandRequest(CLUSTER, "b", "a", 1, 1, bytes("before restart")));
        a.ready();
        a.receive(new CommandRequest(CLUSTER, "b", "a", 1, 1, bytes("after restart")));
        CommandResponse r = only(a.ready(), CommandResponse.class);
        assertEquals(3, r.index());
        assertEquals(3, log.lastIndex());
    }

    @Test
    void anAcceptanceForAnAlreadyAppliedEntryIsReportedLateOrFailedByTerm() {
        RaftCore f = core("a", ABC, plain(), new InMemoryLog(), 100);
        f.receive(append("b", "a", 2, 0, 0, 0));
        f.submit(1, bytes("e1t2"));
        f.submit(2, bytes("other"));
        f.ready();
        f.receive(append("b", "a", 2, 0, 0, 2, entry(1, 2), entry(2, 2)));
        assertEquals(2, f.ready().committed().size());

        f.receive(response("b", "a", 1, CommandResponse.Status.ACCEPTED, 1, 2, null));
        f.receive(response("b", "a", 2, CommandResponse.Status.ACCEPTED, 2, 1, null));
        Ready ready = f.ready();
        assertEquals(List.of(new LateAcceptance(1, 1)), ready.lateAcceptances());
        assertEquals(2, ready.failures().get(0).proposalId());
        assertInstanceOf(CommandNotCommittedException.class, ready.failures().get(0).cause());
    }

    @Test
    void aProposalWhoseIndexCommitsWithAnotherTermFailsAsNotCommitted() {
        RaftCore f = core("a", ABC, plain(), new InMemoryLog(), 100);
        f.receive(append("b", "a", 3, 0, 0, 0, entry(1, 3)));
        f.submit(1, bytes("x"));
        f.ready();
        f.receive(response("b", "a", 1, CommandResponse.Status.ACCEPTED, 1, 2, null)); // a stale leader's answer
        assertTrue(f.ready().failures().isEmpty(), "undecided until index 1 commits");
        f.receive(append("b", "a", 3, 1, 3, 1));
        Ready ready = f.ready();
        assertEquals(1, ready.committed().size());
        assertTrue(ready.committed().get(0).waiters().isEmpty());
        assertInstanceOf(CommandNotCommittedException.class, ready.failures().get(0).cause());
    }

    @Test
    void aForwardedProposalBeyondACommittedEntryOfALaterTermFailsWithoutWaitingForItsIndex() {
        RaftCore f = core("a", ABC, plain(), new InMemoryLog(), 100);
        f.receive(append("b", "a", 1, 0, 0, 0, entry(1, 1)));
        f.submit(1, bytes("x"));
        f.ready();
        f.receive(response("b", "a", 1, CommandResponse.Status.ACCEPTED, 3, 1, null)); // b appended it at 3@1
        // b crashes before replicating 2 and 3; c leads term 2 from a log ending at 1 and commits its no-op at 2.
        // The cluster may stay idle: index 3 may never commit, but 3@1 can no longer ever be committed.
        f.receive(append("c", "a", 2, 1, 1, 2, entry(2, 2)));
        Ready ready = f.ready();
        assertEquals(2, ready.committed().size());
        assertEquals(1, ready.failures().get(0).proposalId());
        assertInstanceOf(CommandNotCommittedException.class, ready.failures().get(0).cause());

        f.submit(2, bytes("y"));
        f.ready();
        f.receive(response("b", "a", 2, CommandResponse.Status.ACCEPTED, 5, 1, null)); // a late answer from b
        assertInstanceOf(CommandNotCommittedException.class, f.ready().failures().get(0).cause());
    }

    /**
     * An overwritten entry is not yet a lost one: another node may hold it and commit it (Figure 8). The proposal
     * waits, and what commits at its index decides. Before, it failed at once as "outcome unknown", and an external
     * client's waiter was dropped without an answer.
     */
    @Test
    void aDeposedLeadersOverwrittenProposalsFailAsNotCommittedOnceTheNewLeaderCommits() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = leaderA(log, plain());
        a.submit(1, bytes("lost"));
        a.receive(new CommandRequest(CLUSTER, "client", "a", 0, 7, bytes("lost too")));
        a.ready();
        assertEquals(3, log.lastIndex(), "no-op at 1, the proposal at 2, the client's command at 3");

        a.receive(append("c", "a", 2, 1, 1, 0, entry(2, 2))); // leader c of term 2 overwrites 2 and 3
        Ready undecided = a.ready();
        assertEquals(Role.FOLLOWER, a.status().role());
        assertTrue(undecided.failures().isEmpty(), "another node may still hold 2@1 and commit it");
        assertTrue(sent(undecided, CommandResponse.class).isEmpty());

        a.receive(append("c", "a", 2, 2, 2, 2)); // c committed its no-op at 2
        Ready decided = a.ready();
        assertEquals(1, decided.failures().get(0).proposalId());
        assertInstanceOf(CommandNotCommittedException.class, decided.failures().get(0).cause(),
                "2@2 is committed: 2@1 never will be; safe to retry");
        CommandResponse toClient = only(decided, CommandResponse.class);
        assertEquals(7, toClient.requestId());
        assertEquals(CommandResponse.Status.REJECTED, toClient.status(), "3@1 is above a committed 2@2: never");
        assertTrue(toClient.error().startsWith("not committed"), toClient.error());
    }

    @Test
    void anOverwrittenProposalThatALaterLeaderCommitsAfterAllCompletes() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = leaderA(log, plain());
        a.submit(1, bytes("kept by b"));
        a.ready(); // at 2, term 1; b received it, c did not

        a.receive(append("c", "a", 2, 1, 1, 0, entry(2, 2))); // c of term 2 overwrites 2 but commits nothing
        assertTrue(a.ready().failures().isEmpty());
        // b, which holds 2@1, leads term 3 and commits it under its own no-op at 3
        a.receive(append("b", "a", 3, 1, 1, 3, new LogEntry(2, 1, EntryType.COMMAND, bytes("kept by b")),
                new LogEntry(3, 3, EntryType.NOOP, new byte[0])));
        Ready ready = a.ready();
        assertTrue(ready.failures().isEmpty());
        CommittedEntry second = ready.committed().get(1);
        assertEquals(2, second.entry().index());
        assertEquals(List.of(new Waiter.Local(1)), second.waiters(),
                "the proposal completes: failing it at the overwrite would have been wrong");
    }

    @Test
    void inboundMessagesForAnotherClusterOrNodeOrFromNonMembersAreDroppedAndCounted() {
        RaftCore a = core("a", ABC, plain(), new InMemoryLog(), 100);
        a.receive(new io.raftbus.engine.message.AppendEntriesRequest("other", "b", "a", 9, 0, 0, List.of(), 0));
        a.receive(append("b", "z", 9, 0, 0, 0));
        a.receive(append("b", "a", 1, 0, 0, 0)); // b leads term 1: a leader is live here
        a.ready();
        a.receive(new VoteRequest(CLUSTER, "mallory", "a", 9, 0, 0)); // from a non-member, while a leader is live
        a.receive(new VoteResponse(CLUSTER, "mallory", "a", 9, true)); // only voters' answers count
        assertEquals(1, a.status().term());
        assertTrue(a.ready().isEmpty());
        assertEquals(1L, a.dropCounts().get("foreign-cluster"));
        assertEquals(1L, a.dropCounts().get("wrong-receiver"));
        assertEquals(2L, a.dropCounts().get("non-member"));

        a.receive(new io.raftbus.engine.message.AppendEntriesRequest(CLUSTER, "b", "a", 1, 0, 0,
                List.of(entry(2, 1)), 0)); // not contiguous with prevLogIndex
        a.receive(append("b", "a", 1, 0, 0, 0, entry(1, 2))); // entry from a later term than its leader's
        a.receive(new VoteResponse(CLUSTER, null, "a", 1, true));
        assertEquals(3L, a.dropCounts().get("malformed"));
        assertEquals(0, a.status().lastLogIndex());

        a.receive(new CommandRequest(CLUSTER, "client", "a", 0, 1, bytes("x")));
        assertEquals(CommandResponse.Status.NOT_LEADER, only(a.ready(), CommandResponse.class).status(),
                "clients (non-members) may send commands");
    }

    @Test
    void theConstructorChecksMembershipAndLastAppliedAndSkipsAppliedEntries() {
        InMemoryLog log = logWithTerms(1, 1, 1, 1);
        Membership solo = Membership.ofVoters(Set.of("a"));
        RaftCore first = new RaftCore("a", CLUSTER, solo, plain(), log, 2, fixedTimeout(0), 0);
        assertEquals(solo, log.loadMembership().orElseThrow(), "membership stored on first start");
        first.tick(0);
        assertEquals(Role.LEADER, first.status().role(), "a single node elects itself at its first tick");
        List<Long> handedOut = first.ready().committed().stream().map(c -> c.entry().index()).toList();
        assertEquals(List.of(3L, 4L), handedOut, "entries up to lastApplied are not handed out again");

        IllegalStateException otherMembers = assertThrows(IllegalStateException.class,
                () -> new RaftCore("a", CLUSTER, ABC, plain(), log, 0, fixedTimeout(0), 0));
        assertTrue(otherMembers.getMessage().contains("membership"), otherMembers.getMessage());
        assertThrows(IllegalStateException.class,
                () -> new RaftCore("a", CLUSTER, solo, plain(), log, 5, fixedTimeout(0), 0));
        RaftCore joining = new RaftCore("x", CLUSTER, solo, plain(), new InMemoryLog(), 0, fixedTimeout(0), 0);
        joining.tick(10_000);
        assertEquals(Role.FOLLOWER, joining.status().role(), "a node outside its configuration waits to be added");
        assertTrue(joining.status().isNonMember());
        assertEquals(Long.MAX_VALUE, joining.nextDeadline(), "and has no election timeout to wake up for");
    }

    @Test
    void statusReportsFollowersMatchIndexesOnTheLeader() {
        RaftCore a = leaderA(new InMemoryLog(), plain());
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 1, 0, 0, 0, 1));
        var status = a.status();
        assertEquals(1, status.matchIndex().get("b"));
        assertEquals(0, status.matchIndex().get("c"));
        assertEquals(1, status.commitIndex());
        assertEquals(1, status.lastLogIndex());
        assertEquals(LogEntry.class, LogEntry.class);
    }

    private static CommandResponse response(String from, String to, long requestId, CommandResponse.Status status,
                                            long index, long entryTerm, String error) {
        return new CommandResponse(CLUSTER, from, to, 1, requestId, status, index, entryTerm, from, new byte[0], error);
    }
}
