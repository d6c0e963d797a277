package io.raftbus.engine.session;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The external session client over a Transport: leader tracking, retries through a leader's isolation, bounds. */
class RaftClientTest {

    private static final Duration WAIT = TestDeadlines.seconds(60);
    private static final long TIMEOUT_MS = WAIT.toMillis();
    private static final long ATTEMPT_MS = 300;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void commandsInFlightWhileTheLeaderIsIsolatedAreEachAppliedOnceAndAnswered() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            RaftNode leader = cluster.awaitLeader(WAIT);
            try (RaftClient client = Await.result(RaftClient.open(network.transport("client-1"), "client-1",
                    cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS), WAIT)) {
                for (int i = 0; i < 5; i++) {
                    Await.result(client.submit(utf8("before " + i)), WAIT);
                }
                assertEquals(leader.nodeId(), client.leader(), "the client remembers the leader it reached");

                List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
                network.isolate(leader.nodeId()); // answers lost; copies may be appended on the old leader
                for (int i = 0; i < 5; i++) {
                    inFlight.add(client.submit(utf8("during " + i)));
                }
                RaftNode newLeader = cluster.awaitLeader(cluster.followers(leader), WAIT);
                Set<String> results = new HashSet<>();
                for (CompletableFuture<byte[]> f : inFlight) {
                    results.add(new String(Await.result(f, WAIT), StandardCharsets.UTF_8));
                }
                network.heal(leader.nodeId());
                Await.result(client.submit(utf8("after")), WAIT);

                assertEquals(5, results.size(), "each command answered with its own application's result");
                assertEquals(newLeader.nodeId(), client.leader());
                Await.until("every node applied all 11 commands", () -> cluster.nodes().keySet().stream()
                        .allMatch(id -> cluster.stateMachine(id).size() >= 11), WAIT);
                for (String id : cluster.nodes().keySet()) {
                    List<String> applied = cluster.stateMachine(id).applied();
                    assertEquals(11, applied.size(), id + " applied " + applied);
                    assertEquals(11, new HashSet<>(applied).size(), id + " applied a command twice: " + applied);
                }
            }
        }
    }

    @Test
    void aCommandNobodyAnswersFailsAtItsTimeoutAsOutcomeUnknown() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            cluster.awaitLeader(WAIT);
            try (RaftClient client = Await.result(RaftClient.open(network.transport("client-2"), "client-2",
                    cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS), WAIT)) {
                network.isolate("client-2");
                Throwable failure = Await.failure(client.submit(utf8("lost"), 1_000), WAIT);
                assertInstanceOf(CommandOutcomeUnknownException.class, failure);
                assertTrue(failure.getMessage().contains("within 1000 ms"), failure.getMessage());
                assertTrue(failure.getMessage().contains("no answer from"), failure.getMessage());
            }
        }
    }

    @Test
    void closingTheClientClosesItsSessionSoALaterCommandOfItIsUnknownNotApplied() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            cluster.awaitLeader(WAIT);
            RaftClient client = Await.result(RaftClient.open(network.transport("client-3"), "client-3",
                    cluster.clusterId(), cluster.nodes().keySet(), TIMEOUT_MS, ATTEMPT_MS), WAIT);
            Await.result(client.submit(utf8("a")), WAIT);
            client.close(TIMEOUT_MS); // close() waits 1 s at most; a loaded machine may need longer

            SessionReply late = RaftNodeSessionTest.submitUntilAnswered(cluster,
                    SessionEnvelope.command(client.sessionId(), 2, 2, utf8("b")), WAIT);
            assertEquals(SessionReply.Status.UNKNOWN_SESSION, late.status(), "the CLOSE was applied before it");
            Await.until("every node applied a", () -> cluster.nodes().keySet().stream()
                    .allMatch(id -> cluster.stateMachine(id).size() >= 1), WAIT);
            for (String id : cluster.nodes().keySet()) {
                assertEquals(List.of("a"), cluster.stateMachine(id).applied(), id);
            }
        }
    }
}
