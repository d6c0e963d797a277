package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leader replication: probe, then a bounded pipeline; heartbeats; recovery from lost and stale messages. */
class PipelineTest {

    private static final RaftConfig CONFIG = plain().toBuilder().maxEntriesPerAppend(2).maxInflightAppends(3).build();

    private RaftCore leader;
    private long now;

    @BeforeEach
    void electLeaderAndPipelineToB() {
        leader = new RaftCore("a", CLUSTER, ABC, CONFIG, new InMemoryLog(), 0, fixedTimeout(0), 0);
        now = 150;
        leader.tick(now);
        leader.ready();
        leader.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        leader.ready();
        leader.receive(ack("b", 1)); // b has the no-op: PIPELINE from now on; c stays in PROBE
        leader.ready();
        for (int i = 0; i < 10; i++) {
            leader.submit(i, new byte[] {(byte) i});
        }
    }

    private static AppendEntriesResponse ack(String from, long match) {
        return new AppendEntriesResponse(CLUSTER, from, "a", 1, true, match, 0, 0, 0, match);
    }

    private static List<AppendEntriesRequest> to(String node, Ready ready) {
        return sent(ready, AppendEntriesRequest.class).stream().filter(m -> m.to().equals(node)).toList();
    }

    @Test
    void aPipeliningFollowerGetsAtMostMaxInflightBatchesUnacknowledged() {
        Ready ready = leader.ready();
        List<AppendEntriesRequest> toB = to("b", ready);
        assertEquals(List.of(1L, 3L, 5L), toB.stream().map(AppendEntriesRequest::prevLogIndex).toList());
        toB.forEach(m -> assertEquals(2, m.entries().size()));
        assertTrue(to("c", ready).isEmpty(), "c's probe is still outstanding");

        leader.receive(ack("b", 3));
        List<AppendEntriesRequest> refill = to("b", leader.ready());
        assertEquals(List.of(7L), refill.stream().map(AppendEntriesRequest::prevLogIndex).toList(),
                "one acknowledged batch frees one slot");
    }

    @Test
    void anUnacknowledgedWindowIsAskedAboutThenProbedFromTheHint() {
        leader.ready(); // batches after 1, 3 and 5
        leader.receive(ack("b", 3));
        leader.ready(); // the batch after 7: entries 4..9 unacknowledged
        now += 2 * CONFIG.heartbeatIntervalMs();
        leader.tick(now);
        List<AppendEntriesRequest> toB = to("b", leader.ready());
        assertEquals(1, toB.size());
        assertEquals(9, toB.get(0).prevLogIndex(), "asks whether b holds up to the last entry sent");
        assertTrue(toB.get(0).entries().isEmpty(), "nothing resent yet: b may only be slow");

        // b lost the batch after 3: its log ends at 3
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 9, 0, 4, 3, 1));
        List<AppendEntriesRequest> probe = to("b", leader.ready());
        assertEquals(1, probe.size());
        assertEquals(3, probe.get(0).prevLogIndex(), "probe again right after b's log");
        assertEquals(2, probe.get(0).entries().size());
    }

    @Test
    void aSlowFollowerHoldingTheWholeWindowIsNotSentItAgain() {
        leader.ready(); // batches after 1, 3 and 5: entries 2..7
        now += 2 * CONFIG.heartbeatIntervalMs();
        leader.tick(now);
        assertEquals(List.of(7L), to("b", leader.ready()).stream().map(AppendEntriesRequest::prevLogIndex).toList());
        leader.receive(ack("b", 3)); // b's late answers, then its answer to the question
        leader.receive(ack("b", 5));
        leader.receive(ack("b", 7));
        List<AppendEntriesRequest> next = to("b", leader.ready()).stream().filter(m -> !m.entries().isEmpty())
                .toList();
        assertEquals(List.of(7L, 9L), next.stream().map(AppendEntriesRequest::prevLogIndex).toList(),
                "only entries after 7 are sent");
    }

    @Test
    void aStaleRejectionIsIgnored() {
        leader.ready();
        leader.receive(ack("b", 5));
        leader.ready();
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 3, 0, 2, 1));
        assertTrue(to("b", leader.ready()).isEmpty(), "rejection at 3 <= match 5: nothing changes");
        assertEquals(5, leader.status().matchIndex().get("b"));
    }

    @Test
    void aRejectionInThePipelineMakesTheLeaderProbeFromTheHint() {
        leader.ready();
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 3, 0, 2, 1));
        List<AppendEntriesRequest> probe = to("b", leader.ready());
        assertEquals(1, probe.size());
        assertEquals(1, probe.get(0).prevLogIndex(), "conflictIndex 2 => prev 1");
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 5, 0, 2, 1));
        assertTrue(to("b", leader.ready()).isEmpty(), "a rejection of another probe is stale while probing");
    }

    @Test
    void heartbeatsCarryTheCommitIndexAtTheMatchIndex() {
        leader.ready();
        leader.receive(ack("b", 11));
        leader.ready();
        assertEquals(11, leader.status().commitIndex());
        now += CONFIG.heartbeatIntervalMs();
        leader.tick(now);
        Ready ready = leader.ready();
        AppendEntriesRequest heartbeat = to("b", ready).get(0);
        assertTrue(heartbeat.entries().isEmpty());
        assertEquals(11, heartbeat.prevLogIndex());
        assertEquals(11, heartbeat.leaderCommit());
        AppendEntriesRequest probeToC = to("c", ready).get(0);
        assertEquals(0, probeToC.prevLogIndex(), "c, still probing, is probed again at the same index");
        assertTrue(probeToC.entries().isEmpty(), "a heartbeat probe carries no entries");
    }

    /**
     * A follower that is down gets one batch of entries, then only empty heartbeats: before, each heartbeat resent a
     * full batch (up to maxBytesPerAppend, 512 KB by default, ten times a second onto a dead node's inbox topic).
     */
    @Test
    void aSilentFollowerIsSentOneBatchOfEntriesThenOnlyEmptyProbes() {
        List<AppendEntriesRequest> toC = new ArrayList<>(to("c", leader.ready()));
        for (int i = 0; i < 50; i++) {
            now += CONFIG.heartbeatIntervalMs();
            leader.tick(now);
            toC.addAll(to("c", leader.ready()));
        }
        assertEquals(50, toC.size(), "one probe per heartbeat: c would notice the leader if it came back");
        assertTrue(toC.stream().allMatch(m -> m.prevLogIndex() == 0 && m.entries().isEmpty()),
                "c was sent the no-op with the first probe, when a became leader; no entries since");
    }

    @Test
    void theAnswerToAnEmptyProbeBringsTheEntries() {
        now += CONFIG.heartbeatIntervalMs();
        leader.tick(now);
        leader.ready();
        leader.receive(ack("c", 0)); // c matches at 0: pipeline to it from index 1
        List<AppendEntriesRequest> toC = to("c", leader.ready());
        assertEquals(List.of(0L, 2L, 4L), toC.stream().map(AppendEntriesRequest::prevLogIndex).toList());
        toC.forEach(m -> assertEquals(2, m.entries().size()));
    }

    @Test
    void aRejectedEmptyProbeIsFollowedByOneProbeWithEntriesFromTheHint() {
        leader.ready();
        leader.receive(ack("b", 5));
        leader.ready();
        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 7, 0, 7, 6));
        assertEquals(6, to("b", leader.ready()).get(0).prevLogIndex(), "b's log ends at 6: probe after it");
        now += CONFIG.heartbeatIntervalMs();
        leader.tick(now);
        List<AppendEntriesRequest> heartbeat = to("b", leader.ready());
        assertEquals(1, heartbeat.size());
        assertTrue(heartbeat.get(0).entries().isEmpty());

        leader.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 1, false, 0, 6, 0, 6, 5));
        List<AppendEntriesRequest> toB = to("b", leader.ready());
        assertEquals(1, toB.size());
        assertEquals(5, toB.get(0).prevLogIndex());
        assertEquals(2, toB.get(0).entries().size());
    }
}
