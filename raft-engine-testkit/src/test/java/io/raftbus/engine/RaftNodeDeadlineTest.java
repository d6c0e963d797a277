package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.PausableTransport;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader cut off from its followers, with CheckQuorum off, does not step down; its callers still get an answer:
 * a command fails as "outcome unknown" and a read as "not served" once {@link RaftConfig#commandTimeoutMs()} has
 * passed, and nothing completes twice.
 */
class RaftNodeDeadlineTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeAll() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPartitionedLeadersCommandAndReadFailAtTheCommandDeadline() {
        Map<String, PausableTransport> transports = new HashMap<>();
        // STEADY: the leader must still lead when it is cut off (FAST's 300-600 ms moved it when its thread starved)
        RaftConfig config = RaftNodeCluster.STEADY.toBuilder().checkQuorum(false).forwardTimeoutMs(1_000)
                .commandTimeoutMs(1_500).build();
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).config(config)
                .wrapTransports((id, transport) -> {
                    PausableTransport pausable = new PausableTransport(transport);
                    transports.put(id, pausable);
                    return pausable;
                }).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(Submit.retrying(leader, bytes("before")), DEADLINE); // its no-op is committed: reads may be confirmed

        transports.get(leader.nodeId()).pause();
        CompletableFuture<byte[]> command = leader.submit(bytes("cut off"));
        CompletableFuture<byte[]> read = leader.read(bytes("q"));

        Throwable commandFailure = Await.failure(command, DEADLINE);
        CommandOutcomeUnknownException unknown = assertInstanceOf(CommandOutcomeUnknownException.class,
                commandFailure);
        assertTrue(unknown.getMessage().contains("1500 ms"), unknown.getMessage());
        assertInstanceOf(ReadNotServedException.class, Await.failure(read, DEADLINE));
        assertTrue(leader.status().isLeader(), "CheckQuorum is off: it still believes it leads");
    }
}
