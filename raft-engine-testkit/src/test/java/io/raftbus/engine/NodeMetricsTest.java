package io.raftbus.engine;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NodeMetrics} of real nodes: the counters move as a cluster elects a leader and commits commands. */
class NodeMetricsTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void countElectionsMessagesOutcomesAndLogWritesOfAWorkingCluster() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));

        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(Submit.retrying(i % 2 == 0 ? leader : follower, bytes("cmd-" + i)));
        }
        futures.forEach(f -> Await.result(f, DEADLINE));
        Await.result(Submit.readRetrying(leader, bytes("count")), DEADLINE); // not served while leadership moves

        List<NodeMetrics> all = cluster.nodes().values().stream().map(RaftNode::metrics).toList();
        long won = all.stream().mapToLong(NodeMetrics::electionsWon).sum();
        long started = all.stream().mapToLong(NodeMetrics::electionsStarted).sum();
        assertTrue(won >= 1 && started >= won, "won " + won + " of " + started + " started");
        for (NodeMetrics m : all) {
            assertTrue(m.term() >= 1);
            assertTrue(m.logAppend().count() > 0, "every node appended entries");
        }
        NodeMetrics lm = leader.metrics();
        assertTrue(lm.electionsWon() >= 1);
        assertTrue(lm.roleChanges() >= 1, "it left the follower role to lead");
        assertTrue(lm.logHardState().count() >= 1, "the leader saved its term and vote");
        assertTrue(lm.reads(NodeMetrics.Outcome.SUCCEEDED) >= 1, "counted before the read's future completed");
        // committing needs AppendEntries and their answers, from whichever node led
        assertTrue(all.stream().mapToLong(m -> m.messagesSent(AppendEntriesRequest.class)).sum() > 0);
        assertTrue(all.stream().mapToLong(m -> m.messagesReceived(AppendEntriesResponse.class)).sum() > 0);
        // every future completed successfully on one node or another; retried attempts may add failures
        long succeeded = all.stream().mapToLong(m -> m.commands(NodeMetrics.Outcome.SUCCEEDED)).sum();
        assertTrue(succeeded >= 20, "succeeded " + succeeded);
        Await.until("every node to apply the commands and learn of a leader", () -> all.stream()
                .allMatch(m -> m.commitIndex() >= 20 && m.lastApplied() >= 20 && m.leaderChanges() >= 1));
        for (NodeMetrics m : all) {
            assertTrue(m.applyLag() >= 0);
        }

        NodeMetrics fm = follower.metrics();
        if (won == 1) { // leadership never moved: the follower forwarded its commands to the leader
            assertTrue(fm.messagesSent(CommandRequest.class) >= 1, "the follower forwarded its commands");
            long answers = Arrays.stream(CommandResponse.Status.values()).mapToLong(fm::forwardAnswers).sum();
            assertTrue(answers >= 1, "the leader answered forwarded commands");
            assertTrue(fm.messagesReceived().containsKey("AppendEntriesRequest"), fm.messagesReceived().toString());
        }
        assertTrue(fm.toString().contains("commit="), fm.toString());
    }

    @Test
    void aSubmitToANodeNotStartedCountsAsClosed() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build();
        RaftNode node = cluster.node("n1");

        Await.failure(node.submit(bytes("x")), DEADLINE);
        Await.failure(node.read(bytes("q")), DEADLINE);

        assertEquals(1, node.metrics().commands(NodeMetrics.Outcome.CLOSED));
        assertEquals(1, node.metrics().reads(NodeMetrics.Outcome.CLOSED));
        assertEquals(0, node.metrics().commands(NodeMetrics.Outcome.SUCCEEDED));
    }

    @Test
    void aSingleMemberWinsItsElectionAndCountsItStarted() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build().start();
        RaftNode node = cluster.awaitLeader(DEADLINE);

        Await.result(node.submit(bytes("x")), DEADLINE);

        assertTrue(node.metrics().electionsWon() >= 1);
        assertTrue(node.metrics().electionsStarted() >= node.metrics().electionsWon());
        assertEquals(1, node.metrics().commands(NodeMetrics.Outcome.SUCCEEDED));
    }

    @Test
    void aFutureCountsItsFirstCompletionBeforeAnyoneSeesItDone() {
        List<Throwable> counted = new ArrayList<>();
        OutcomeCountingFuture future = new OutcomeCountingFuture(counted::add);
        future.whenComplete((r, e) -> assertEquals(1, counted.size(), "counted before dependents run"));

        assertTrue(future.completeExceptionally(new NotLeaderException("n1", null)));
        assertFalse(future.complete(new byte[0]));
        assertFalse(future.completeExceptionally(new IllegalStateException()));

        assertEquals(1, counted.size());
        assertInstanceOf(NotLeaderException.class, counted.get(0));
        OutcomeCountingFuture cancelled = new OutcomeCountingFuture(counted::add);
        cancelled.cancel(false);
        assertEquals(1, counted.size(), "a cancel is not an outcome");
    }

    @Test
    void outcomesFollowTheExceptionThatFailedTheFuture() {
        assertEquals(NodeMetrics.Outcome.SUCCEEDED, NodeMetrics.Outcome.of(null));
        assertEquals(NodeMetrics.Outcome.BACKPRESSURE, NodeMetrics.Outcome.of(new BackpressureException("full")));
        assertEquals(NodeMetrics.Outcome.NOT_LEADER, NodeMetrics.Outcome.of(new NotLeaderException("n2", "x")));
        assertEquals(NodeMetrics.Outcome.READ_NOT_SERVED, NodeMetrics.Outcome.of(new ReadNotServedException("x")));
        assertEquals(NodeMetrics.Outcome.NOT_APPLIED, NodeMetrics.Outcome.of(new CommandNotAppendedException("x")));
        assertEquals(NodeMetrics.Outcome.OUTCOME_UNKNOWN,
                NodeMetrics.Outcome.of(new CommandOutcomeUnknownException("x")));
        assertEquals(NodeMetrics.Outcome.OUTCOME_UNKNOWN, NodeMetrics.Outcome.of(new NodeCrashedException("x")));
        assertEquals(NodeMetrics.Outcome.CLOSED, NodeMetrics.Outcome.of(new NodeClosedException("x")));
        assertEquals(NodeMetrics.Outcome.FAILED, NodeMetrics.Outcome.of(new IllegalStateException("x")));
    }
}
