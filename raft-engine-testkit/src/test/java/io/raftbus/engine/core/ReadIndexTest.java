package io.raftbus.engine.core;

import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
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
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linearizable reads without log entries (ReadIndex, Ongaro's thesis §6.4). */
class ReadIndexTest {

    private static final RaftConfig CONFIG = plain();
    private static final byte[] QUERY = "how many?".getBytes(StandardCharsets.UTF_8);

    private static AppendEntriesResponse ack(String from, long match, long readSeq) {
        return new AppendEntriesResponse(CLUSTER, from, "a", 1, true, match, 0, 0, 0, match, readSeq);
    }

    /** a leads term 1; its no-op at 1 is not committed yet. */
    private static RaftCore newLeader() {
        RaftCore a = new RaftCore("a", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        a.ready();
        return a;
    }

    @Test
    void aReadWaitsForTheLeadersFirstCommitThenForAMajorityToEchoItsRound() {
        RaftCore a = newLeader();
        a.submitRead(7, QUERY);
        assertTrue(sent(a.ready(), AppendEntriesRequest.class).isEmpty(),
                "no round before an entry of this term commits: the commit index may lag what earlier leaders committed");

        a.receive(ack("b", 1, 0)); // the no-op commits
        List<AppendEntriesRequest> round = sent(a.ready(), AppendEntriesRequest.class).stream()
                .filter(m -> m.readSeq() == 1).toList();
        assertEquals(List.of("b", "c"), round.stream().map(AppendEntriesRequest::to).sorted().toList(),
                "round 1 goes to both followers at once");
        assertTrue(round.stream().allMatch(m -> m.entries().isEmpty()));
        assertTrue(a.ready().reads().isEmpty(), "not confirmed yet");

        a.receive(ack("c", 1, 0)); // an answer to an older request proves nothing about round 1
        assertTrue(a.ready().reads().isEmpty());
        a.receive(ack("b", 1, 1));
        ReadyRead read = a.ready().reads().get(0);
        assertEquals(new Waiter.Local(7), read.waiter());
        assertEquals(1, read.readIndex(), "the commit index when the round began");
        assertArrayEquals(QUERY, read.query());
    }

    @Test
    void aFollowerEchoesTheRoundEvenWhenItRejects() {
        RaftCore b = new RaftCore("b", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(100), 0);
        b.receive(new AppendEntriesRequest(CLUSTER, "a", "b", 1, 0, 0, List.of(), 0, 5));
        assertEquals(5, only(b.ready(), AppendEntriesResponse.class).readSeq());
        b.receive(new AppendEntriesRequest(CLUSTER, "a", "b", 1, 3, 1, List.of(), 0, 6));
        AppendEntriesResponse rejection = only(b.ready(), AppendEntriesResponse.class);
        assertEquals(false, rejection.success());
        assertEquals(6, rejection.readSeq());
    }

    @Test
    void readsWaitingOnALeaderThatStepsDownFailAsNotServed() {
        RaftCore a = newLeader();
        a.receive(ack("b", 1, 0));
        a.ready();
        a.submitRead(7, QUERY);
        a.receive(new CommandRequest(CLUSTER, "client", "a", 0, 9, QUERY, true));
        a.ready();

        a.receive(append("c", "a", 2, 1, 1, 1)); // a leader of term 2
        Ready ready = a.ready();
        assertEquals(7, ready.failures().get(0).proposalId());
        assertInstanceOf(ReadNotServedException.class, ready.failures().get(0).cause());
        CommandResponse toClient = only(ready, CommandResponse.class);
        assertEquals(CommandResponse.Status.NOT_LEADER, toClient.status());
        assertEquals(9, toClient.requestId());
        assertTrue(ready.reads().isEmpty());
    }

    @Test
    void aFollowerForwardsAReadAndHandsOutTheLeadersAnswer() {
        RaftCore b = new RaftCore("b", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(100), 0);
        b.receive(append("a", "b", 1, 0, 0, 1, entry(1, 1)));
        b.ready();
        b.submitRead(4, QUERY);
        CommandRequest forwarded = only(b.ready(), CommandRequest.class);
        assertTrue(forwarded.read());
        assertEquals("a", forwarded.to());

        byte[] result = "3".getBytes(StandardCharsets.UTF_8);
        b.receive(new CommandResponse(CLUSTER, "a", "b", 1, forwarded.requestId(), CommandResponse.Status.APPLIED, 1,
                0, "a", result, null));
        ReadAnswer answer = b.ready().readAnswers().get(0);
        assertEquals(4, answer.proposalId());
        assertEquals(1, answer.readIndex());
        assertArrayEquals(result, answer.result());
    }

    @Test
    void aReadWaitsUntilItsIndexIsHandedOut() {
        InMemoryLog log = new InMemoryLog();
        RaftCore a = new RaftCore("a", CLUSTER, ABC, CONFIG.toBuilder().maxBytesPerAppend(1).build(), log, 0,
                fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        a.submit(1, QUERY);
        a.submit(2, QUERY);
        a.ready();
        a.receive(ack("b", 3, 0)); // 1..3 committed; handed out one entry per ready()
        a.submitRead(7, QUERY);
        long handedOut = 0;
        ReadyRead served = null;
        while (served == null) {
            Ready ready = a.ready();
            handedOut += ready.committed().size();
            a.receive(ack("b", 3, 1));
            if (!ready.reads().isEmpty()) {
                served = ready.reads().get(0);
            }
        }
        assertEquals(3, served.readIndex());
        assertEquals(3, handedOut, "served in the same ready() as the last entry it depends on, or after it");
    }
}
