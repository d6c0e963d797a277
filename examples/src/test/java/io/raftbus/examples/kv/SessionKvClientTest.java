package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.session.SessionReply;
import io.raftbus.engine.session.SessionStats;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example's session client on an in-memory cluster: exactly-once cas, and a new session after expiry. */
class SessionKvClientTest {

    private static final Duration WAIT = TestDeadlines.seconds(60);
    private static final long IDLE_MS = 1_000;

    @Test
    void aSessionExpiredBetweenCommandsIsReplacedAndTheCommandAppliedOnce() {
        AtomicLong logTime = new AtomicLong(1_000_000);
        try (RaftNodeCluster<KvStateMachine> cluster = RaftNodeCluster.builder(3, KvStateMachine::new)
                .sessions(IDLE_MS, logTime::get).build().start()) {
            InMemoryNetwork network = cluster.network();
            cluster.awaitLeader(WAIT);
            List<String> transports = new CopyOnWriteArrayList<>();
            try (SessionKvClient a = new SessionKvClient((id, until) -> {
                transports.add(id);
                return network.transport(id);
            }, cluster.clusterId(), cluster.nodes().keySet(), "client-a");
                 SessionKvClient b = new SessionKvClient((id, until) -> network.transport(id), cluster.clusterId(),
                         cluster.nodes().keySet(), "client-b")) {
                assertEquals(KvResult.ok("1"), a.execute(new KvCommand.Put("x", "1"), WAIT));
                logTime.addAndGet(10 * IDLE_MS);
                assertEquals(KvResult.ok("9"), b.execute(new KvCommand.Put("y", "9"), WAIT)); // log time moves on:
                // a's session expires
                assertEquals(KvResult.ok("2"), a.execute(new KvCommand.Cas("x", "1", "2"), WAIT));
                assertEquals(List.of("client-a", "client-a-2"), transports, "a second session, on a new endpoint");
                assertEquals(new KvResult(KvResult.Outcome.CAS_MISMATCH, "2"),
                        a.execute(new KvCommand.Cas("x", "1", "3"), WAIT));
            }
        }
    }

    @Test
    void aGetIsAReadWithoutASessionAndClosingTheClientClosesItsSession() {
        try (RaftNodeCluster<KvStateMachine> cluster = RaftNodeCluster.builder(3, KvStateMachine::new)
                .sessions(600_000, System::currentTimeMillis).build().start()) {
            InMemoryNetwork network = cluster.network();
            RaftNode leader = cluster.awaitLeader(WAIT);
            try (SessionKvClient writer = new SessionKvClient((id, until) -> network.transport(id),
                    cluster.clusterId(), cluster.nodes().keySet(), "writer")) {
                assertEquals(KvResult.ok("1"), writer.execute(new KvCommand.Put("x", "1"), WAIT));
            }
            // the writer's session was closed at close(): no session is left to expire
            Await.until("the writer's session closed on every node", () -> cluster.nodes().values().stream()
                    .allMatch(n -> stats(n).openSessions() == 0 && stats(n).replies(SessionReply.Status.CLOSED) == 1),
                    WAIT);

            long registered = stats(leader).registrations();
            try (SessionKvClient reader = new SessionKvClient((id, until) -> network.transport(id),
                    cluster.clusterId(), cluster.nodes().keySet(), "reader")) {
                assertEquals(KvResult.ok("1"), reader.read(new KvCommand.Get("x"), WAIT));
                assertEquals(0, reader.sessionId(), "a read registers no session");
            }
            assertEquals(registered, stats(leader).registrations(), "a read registers no session");
            assertTrue(stats(leader).openSessions() == 0, stats(leader).summary());
        }
    }

    private static SessionStats stats(RaftNode node) {
        return node.sessionStats().orElseThrow();
    }
}
