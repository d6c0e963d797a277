package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.HoldingTransport;
import io.raftbus.engine.testing.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.awaitApplied;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A follower's submit is forwarded; when the leader's acknowledgement arrives only after the follower applied the
 * command (a late acceptance), the follower completes it with the result it recorded for that index.
 */
class RaftNodeForwardingTest {

    /** These tests hold one follower's acknowledgements and need the leader to stay put. */
    private static final RaftConfig STEADY = RaftNodeCluster.STEADY;
    /** A forward's and a command's timeout longer than any wait of these tests. */
    private static final long PATIENT_MS = 2 * DEADLINE.toMillis();

    private RaftNodeCluster<RecordingStateMachine> cluster;
    private final Map<String, HoldingTransport> transports = new ConcurrentHashMap<>();

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Starts a cluster, and returns a follower whose inbound acknowledgements are held from now on (only that
     * follower's: should leadership move meanwhile, other nodes' forwarded commands still complete normally).
     */
    private RaftNode followerWithHeldAcknowledgements(RaftConfig config) {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).config(config)
                .wrapTransports((id, transport) -> {
                    HoldingTransport holding = new HoldingTransport(transport);
                    transports.put(id, holding);
                    return holding;
                }).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        String followerId = cluster.followers(leader).get(0);
        transports.get(followerId).holdInbound(CommandResponse.class::isInstance);
        return cluster.node(followerId);
    }

    @Test
    void anAcknowledgementArrivingAfterTheApplyCompletesWithTheRecordedResult() {
        // the forward's timeout (5 s by default) must not fail it while the test checks it is pending
        RaftNode follower = followerWithHeldAcknowledgements(STEADY.toBuilder().forwardTimeoutMs(PATIENT_MS)
                .commandTimeoutMs(PATIENT_MS).build());
        String followerId = follower.nodeId();

        CompletableFuture<byte[]> forwarded = follower.submit(bytes("forwarded"));
        Await.until("the follower to apply the forwarded command",
                () -> cluster.stateMachine(followerId).applied().contains("forwarded"));
        assertFalse(forwarded.isDone(), "the acknowledgement is still held");

        transports.get(followerId).release();

        assertEquals("1", new String(Await.result(forwarded, DEADLINE), StandardCharsets.UTF_8));
    }

    @Test
    void aLateAcknowledgementWhoseResultWasEvictedFailsAsOutcomeUnknown() {
        RaftNode follower = followerWithHeldAcknowledgements(STEADY.toBuilder().maxPendingCommands(100)
                .forwardTimeoutMs(PATIENT_MS).commandTimeoutMs(PATIENT_MS).build());
        String followerId = follower.nodeId();

        CompletableFuture<byte[]> forwarded = follower.submit(bytes("forwarded"));
        Await.until("the follower to apply the forwarded command",
                () -> cluster.stateMachine(followerId).applied().contains("forwarded"));
        int flood = 1100; // more than the follower retains results for (max(1024, maxPendingCommands))
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        List<CompletableFuture<byte[]>> others = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            others.add(Submit.retrying(leader, bytes("flood-" + i)));
        }
        others.forEach(f -> Await.result(f, DEADLINE));
        awaitApplied(cluster, List.of(followerId), flood + 1);

        transports.get(followerId).release();

        assertInstanceOf(CommandOutcomeUnknownException.class, Await.failure(forwarded, DEADLINE));
    }
}
