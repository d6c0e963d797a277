package io.raftbus.engine.core;

import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader with an early-send sink ({@link RaftCore#earlySendSink}, {@link RaftConfig#leaderAppendOverlapsSend()})
 * hands a batch's AppendEntries to pipelining followers before appending the batch, and counts itself only after.
 */
class LeaderSendAheadTest {

    private static final RaftConfig CONFIG = plain().toBuilder().maxEntriesPerAppend(2).maxInflightAppends(3).build();

    /** The leader's log: records how many messages the sink had when each append began; may fail the next one. */
    private final List<RaftMessage> early = new ArrayList<>();
    private final List<Integer> sentAtAppend = new ArrayList<>();
    private boolean failNextAppend;
    private final ForwardingLog log = new ForwardingLog(new InMemoryLog()) {
        @Override
        public void append(List<LogEntry> entries) {
            sentAtAppend.add(early.size());
            if (failNextAppend) {
                failNextAppend = false;
                throw new LogException("simulated transient append failure");
            }
            super.append(entries);
        }
    };

    /** Leader "a" of term 1; b acknowledged the no-op (PIPELINE), c did not (PROBE). */
    private RaftCore leader(RaftConfig config) {
        RaftCore a = Fixtures.leaderA(log, config);
        a.earlySendSink(early::add);
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 1, 0, 0, 0, 1));
        a.ready();
        sentAtAppend.clear();
        early.clear();
        return a;
    }

    @Test
    void aBatchGoesToThePipeliningFollowerBeforeTheLeaderAppendsIt() {
        RaftCore a = leader(CONFIG);
        for (int i = 0; i < 10; i++) {
            a.submit(i, new byte[] {(byte) i});
        }
        Ready ready = a.ready();

        List<AppendEntriesRequest> toB = early.stream().map(AppendEntriesRequest.class::cast).toList();
        assertEquals(List.of(1L, 3L, 5L), toB.stream().map(AppendEntriesRequest::prevLogIndex).toList(),
                "windows of maxEntriesPerAppend, up to maxInflightAppends, from the batch in memory");
        toB.forEach(m -> assertEquals("b", m.to()));
        toB.forEach(m -> assertEquals(2, m.entries().size()));
        assertEquals(List.of(3), sentAtAppend, "all three were handed over before the append began");
        assertTrue(sent(ready, AppendEntriesRequest.class).isEmpty(), "b's window is full, c's probe outstanding");
        assertEquals(11, a.status().lastLogIndex());
        assertEquals(1, a.status().commitIndex());

        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, true, 5, 0, 0, 0, 5));
        assertEquals(5, a.status().commitIndex(), "b and the leader (its append returned) hold 5");
    }

    @Test
    void anAppendFailingAfterTheSendFailsTheBatchAsOutcomeUnknownAndTheLeaderStepsDown() {
        RaftCore a = leader(CONFIG);
        a.submit(7, new byte[] {7});
        failNextAppend = true;
        Ready ready = a.ready();

        assertEquals(1, early.size(), "the batch went to b");
        assertEquals(1, ready.failures().size());
        assertEquals(7, ready.failures().get(0).proposalId());
        assertInstanceOf(CommandOutcomeUnknownException.class, ready.failures().get(0).cause(),
                "b holds it; a later leader may commit it");
        assertEquals(Role.FOLLOWER, a.status().role());
        assertEquals(1, a.status().term(), "same term: this node never leads term 1 again");
        assertEquals(1, a.status().lastLogIndex());
        assertEquals(1, a.status().commitIndex());
    }

    @Test
    void nothingGoesEarlyToAFollowerInProbeAndAFailedAppendThenIsCertainlyNotAppended() {
        RaftCore a = leader(CONFIG);
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 2, 0, 2, 1)); // b rejects: PROBE
        a.ready();
        early.clear();
        a.submit(7, new byte[] {7});
        failNextAppend = true;
        Ready ready = a.ready();

        assertTrue(early.isEmpty(), "no follower takes the batch at once");
        assertInstanceOf(CommandNotAppendedException.class, ready.failures().get(0).cause());
        assertEquals(Role.LEADER, a.status().role(), "nothing was sent: it leads on");
    }

    @Test
    void withTheOptionOffTheSinkIsNeverUsed() {
        RaftCore a = leader(CONFIG.toBuilder().leaderAppendOverlapsSend(false).build());
        for (int i = 0; i < 10; i++) {
            a.submit(i, new byte[] {(byte) i});
        }
        Ready ready = a.ready();

        assertTrue(early.isEmpty());
        assertEquals(List.of(0), sentAtAppend);
        assertEquals(3, sent(ready, AppendEntriesRequest.class).stream().filter(m -> m.to().equals("b")).count());
    }
}
