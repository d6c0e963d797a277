package io.raftbus.examples.kv;

import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
