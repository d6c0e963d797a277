package io.raftbus.engine.session;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RaftClient#read}: a linearizable read over the transport, answered by the leader through ReadIndex. The
 * recording state machine's query answers how many commands it has applied, so a read that missed a command answered
 * before it would return less than that command's own count.
 */
class RaftClientReadTest {

    private static final Duration WAIT = TestDeadlines.seconds(60);
    private static final long TIMEOUT_MS = WAIT.toMillis();
    private static final long ATTEMPT_MS = 300;
    private static final byte[] COUNT = "count".getBytes(StandardCharsets.UTF_8);

    private static long number(byte[] b) {
        return Long.parseLong(new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Session commands the node has applied (a read through the log would be one more). On the node that answered
     * the client last, which has applied everything it answered, so nothing else moves it while the client waits.
     */
    private static long sessionEntries(RaftNode node) {
        return node.sessionStats().orElseThrow().replies().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void readsSeeEveryCommandAnsweredBeforeThemThroughALeaderIsolationAndNeedNoLogEntry() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            RaftNode leader = cluster.awaitLeader(WAIT);
            try (RaftClient client = Await.result(RaftClient.open(network.transport("reader"), "reader",
                    cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS), WAIT)) {
                long answered = 0;
                for (int i = 0; i < 3; i++) {
                    answered = number(Await.result(client.submit(("before " + i).getBytes(StandardCharsets.UTF_8)),
                            WAIT));
                }
                RaftNode answering = cluster.node(client.leader());
                long entriesBefore = sessionEntries(answering);
                assertEquals(answered, number(Await.result(client.read(COUNT), WAIT)));
                assertEquals(entriesBefore, sessionEntries(answering), "a read appends nothing");

                network.isolate(leader.nodeId()); // the client's first attempt goes to it and is never answered
                CompletableFuture<byte[]> during = client.read(COUNT);
                RaftNode newLeader = cluster.awaitLeader(cluster.followers(leader), WAIT);
                assertTrue(number(Await.result(during, WAIT)) >= answered, "a read missed an answered command");

                long after = number(Await.result(client.submit("after".getBytes(StandardCharsets.UTF_8)), WAIT));
                assertTrue(number(Await.result(client.read(COUNT), WAIT)) >= after,
                        "a read after a command's answer sees it");
                assertEquals(newLeader.nodeId(), client.leader(), "the client follows the leader that answered");
                network.heal(leader.nodeId());

                try (RaftClient readOnly = RaftClient.openForReads(network.transport("read-only"), "read-only",
                        cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS)) {
                    long entriesNow = sessionEntries(newLeader);
                    assertTrue(number(Await.result(readOnly.read(COUNT), WAIT)) >= after);
                    assertEquals(entriesNow, sessionEntries(newLeader), "no registration, no entry");
                    assertThrows(IllegalStateException.class, () -> readOnly.submit(COUNT));
                }
            }
        }
    }

    @Test
    void aReadNobodyAnswersFailsAtItsTimeoutAsNotServed() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            cluster.awaitLeader(WAIT);
            try (RaftClient client = Await.result(RaftClient.open(network.transport("lonely-reader"),
                    "lonely-reader", cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS), WAIT)) {
                network.isolate("lonely-reader");
                Throwable failure = Await.failure(client.read(COUNT, 1_000), WAIT);
                assertInstanceOf(ReadNotServedException.class, failure);
                assertTrue(failure.getMessage().contains("within 1000 ms"), failure.getMessage());
                assertTrue(failure.getMessage().contains("reading again is safe"), failure.getMessage());
            }
        }
    }
}
