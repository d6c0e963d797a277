package io.raftbus.engine;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.awaitApplied;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RaftNode#crash()}: a crash-stop for fault tests, after which the node sends and writes nothing. */
class RaftNodeCrashTest {

    private final Map<String, CountingTransport> transports = new HashMap<>();
    private final Map<String, CountingLogCalls> logs = new HashMap<>();
    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCountingCluster() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .wrapTransports((id, transport) -> {
                    CountingTransport counting = new CountingTransport(transport);
                    transports.put(id, counting);
                    return counting;
                })
                .wrapLogs((id, log) -> {
                    CountingLogCalls counting = new CountingLogCalls(log);
                    logs.put(id, counting);
                    return counting;
                })
                .build().start();
    }

    @Test
    void aCrashedLeaderSendsAndWritesNothingMoreAndHandsNothingOver() {
        startCountingCluster();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        String crashed = leader.nodeId();
        Await.result(leader.submit(bytes("before")), DEADLINE);
        List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(leader.submit(bytes("during-" + i)));
        }
        leader.crash();

        // once crash() has returned, nothing more goes out or into the log (asserted below, after the others moved
        // on); what the loop did just before the call is not the crash's business, so it is not counted here
        long sendsAtCrash = transports.get(crashed).sends();
        long writesAtCrash = logs.get(crashed).writes();

        // the others go on without it: a new leader by election, and a command applied on both
        List<String> survivors = cluster.followers(leader);
        RaftNode newLeader = cluster.awaitLeader(survivors, DEADLINE);
        Await.result(newLeader.submit(bytes("after")), DEADLINE);
        Await.until("both survivors to apply 'after'", () -> survivors.stream()
                .allMatch(id -> cluster.stateMachine(id).applied().contains("after")));

        assertEquals(sendsAtCrash, transports.get(crashed).sends(), "messages sent after the crash");
        assertEquals(writesAtCrash, logs.get(crashed).writes(), "log writes after the crash");
        assertFalse(transports.get(crashed).sentTimeoutNow(), "a crash hands no leadership over");
        assertTrue(transports.get(crashed).closed(), "the crashed node's transport is released");
        assertTrue(logs.get(crashed).closed(), "the crashed node's log is released");

        for (CompletableFuture<byte[]> future : inFlight) {
            Await.until("every command in flight on the crashed node to have an outcome", future::isDone);
            if (future.isCompletedExceptionally()) {
                Throwable failure = causeOf(future);
                // never 'certainly not applied' unless it certainly was not: taken commands have an unknown outcome
                assertTrue(failure instanceof NodeCrashedException || failure instanceof NodeClosedException,
                        "a command in flight at the crash failed with " + failure);
                if (failure instanceof NodeCrashedException) {
                    assertInstanceOf(CommandOutcomeUnknownException.class, failure);
                }
                assertFalse(failure instanceof RetriableCommandException, "not retriable: " + failure);
            }
        }
    }

    @Test
    void aCrashedNodeRefusesCallsAndComesBackOverItsLog() {
        startCountingCluster();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(leader.submit(bytes("one")), DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));
        awaitApplied(cluster, List.of(follower.nodeId()), 1);

        follower.crash();
        follower.crash(); // idempotent
        follower.close(); // nothing left to close

        Throwable refused = Await.failure(follower.submit(bytes("late")), DEADLINE);
        assertInstanceOf(NodeClosedException.class, refused);
        assertTrue(refused.getMessage().contains("crashed"), refused.getMessage());

        Await.result(leader.submit(bytes("two")), DEADLINE);
        RaftNode restarted = cluster.restart(follower.nodeId());
        Await.until("the restarted node to apply both commands",
                () -> cluster.stateMachine(restarted.nodeId()).applied().containsAll(List.of("one", "two")));
    }

    private static Throwable causeOf(CompletableFuture<byte[]> future) {
        try {
            future.join();
            throw new AssertionError("completed normally");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
