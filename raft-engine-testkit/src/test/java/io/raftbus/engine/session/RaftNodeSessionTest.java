package io.raftbus.engine.session;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client sessions on real nodes: a command resubmitted with the same (session, seq), to another node, after a leader
 * change or a restart from a snapshot, is answered with its first application's result and applied once.
 */
class RaftNodeSessionTest {

    private static final Duration WAIT = TestDeadlines.seconds(30);
    private static final long CLIENT_TIMEOUT_MS = TestDeadlines.seconds(30).toMillis();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static SessionReply submitRaw(RaftNode node, SessionEnvelope e) {
        return SessionReply.decode(Await.result(node.submit(e.encode()), WAIT));
    }

    /**
     * Submits a session command to the current leader until it is answered: a retry of the same (session, seq) is
     * safe (the table applies it at most once), and a leader change on a loaded machine must not fail the test.
     */
    static SessionReply submitUntilAnswered(RaftNodeCluster<?> cluster, SessionEnvelope e, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            RaftNode leader = cluster.awaitLeader(wait);
            try {
                return SessionReply.decode(leader.submit(e.encode()).get(wait.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException failure) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(e + " not answered within " + wait.toSeconds() + " s", failure);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }

    private static void awaitAppliedEverywhere(RaftNodeCluster<RecordingStateMachine> cluster, int count) {
        Await.until("every node applied " + count + " commands",
                () -> cluster.nodes().keySet().stream().allMatch(id -> cluster.stateMachine(id).size() >= count),
                WAIT);
    }

    @Test
    void aCommandResubmittedToAnotherNodeAfterALeaderChangeIsAnsweredWithItsFirstResultAndAppliedOnce() {
        AtomicLong clock = new AtomicLong(1_000);
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(60_000, clock::get).build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            long session = submitRaw(leader, SessionEnvelope.register()).value();
            SessionEnvelope cas = SessionEnvelope.command(session, 1, 1, utf8("cas x 0 1"));
            SessionReply first = submitRaw(leader, cas);
            assertEquals(SessionReply.Status.APPLIED, first.status());

            Await.result(leader.transferLeadership(null), WAIT); // the client's answer was "lost"; the leader changes
            RaftNode newLeader = cluster.awaitLeader(cluster.followers(leader), WAIT);
            SessionReply retry = submitRaw(newLeader, cas);
            SessionReply viaFollower = submitRaw(leader, cas);

            assertEquals(first, retry);
            assertEquals(first, viaFollower);
            submitRaw(newLeader, SessionEnvelope.command(session, 2, 2, utf8("next")));
            awaitAppliedEverywhere(cluster, 2);
            for (String id : cluster.nodes().keySet()) {
                assertEquals(List.of("cas x 0 1", "next"), cluster.stateMachine(id).applied(), id);
            }
        }
    }

    @Test
    void theSessionTableIsInTheSnapshotAndARestartedNodeStillAnswersARetryWithTheFirstResult() {
        AtomicLong clock = new AtomicLong(1_000);
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(60_000, clock::get).memorySnapshots().build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            long session = submitRaw(leader, SessionEnvelope.register()).value();
            SessionEnvelope put = SessionEnvelope.command(session, 1, 1, utf8("put a"));
            SessionReply first = submitRaw(leader, put);
            awaitAppliedEverywhere(cluster, 1);
            String follower = cluster.followers(leader).get(0);
            Await.result(cluster.node(follower).takeSnapshot(), WAIT);

            RaftNode restarted = cluster.restart(follower); // restores the snapshot: table and application state
            Await.until(follower + " restored its snapshot",
                    () -> cluster.stateMachine(follower).restoredIndex() > 0, WAIT);
            Await.until(follower + " knows the leader again", () -> restarted.status().leaderId() != null, WAIT);
            SessionReply retry = submitRaw(restarted, put); // forwarded; answered from the restarted node's table

            assertEquals(first, retry);
            assertEquals(List.of("put a"), cluster.stateMachine(follower).applied());
            assertEquals(0, cluster.stateMachine(follower).applyCalls(), "applied again after the restart");
        }
    }

    @Test
    void aSessionClientRetriesThroughAFollowerAndAnExpiredSessionIsAClearErrorNotASecondApplication() {
        AtomicLong clock = new AtomicLong(1_000);
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(5_000, clock::get).build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            RaftNode follower = cluster.node(cluster.followers(leader).get(0));
            SessionClient idle = Await.result(SessionClient.open(follower, CLIENT_TIMEOUT_MS), WAIT);
            SessionClient busy = Await.result(SessionClient.open(leader, CLIENT_TIMEOUT_MS), WAIT);
            for (int i = 1; i <= 5; i++) {
                assertEquals(Integer.toString(i), text(Await.result(busy.submit(utf8("c" + i)), WAIT)));
            }

            clock.addAndGet(3_000); // the busy client stays active; the idle one sends nothing for 6 s of log time
            Await.result(busy.submit(utf8("tick 1")), WAIT);
            clock.addAndGet(3_000);
            Await.result(busy.submit(utf8("tick 2")), WAIT);
            Throwable failure = Await.failure(idle.submit(utf8("late")), WAIT);

            SessionExpiredException expired = assertInstanceOf(SessionExpiredException.class, failure);
            assertFalse(expired.earlierAttemptMayHaveApplied());
            awaitAppliedEverywhere(cluster, 7);
            for (String id : cluster.nodes().keySet()) {
                assertFalse(cluster.stateMachine(id).applied().contains("late"), id);
            }
        }
    }

    @Test
    void aSessionClientRefusesANodeWithoutSessions() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new)
                .build().start()) {
            RaftNode node = cluster.awaitLeader(WAIT);
            assertThrows(IllegalArgumentException.class, () -> SessionClient.open(node, 1_000));
        }
    }

    @Test
    void aClosedSessionIsGoneAndALaterCommandOfItIsUnknownNotApplied() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(60_000, () -> 1_000).build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            SessionClient client = Await.result(SessionClient.open(leader, CLIENT_TIMEOUT_MS), WAIT);
            assertEquals("1", text(Await.result(client.submit(utf8("a")), WAIT)));
            client.close(WAIT.toMillis()); // close() waits 1 s at most; a loaded machine may need longer

            SessionReply late = submitUntilAnswered(cluster,
                    SessionEnvelope.command(client.sessionId(), 2, 2, utf8("b")), WAIT);
            assertEquals(SessionReply.Status.UNKNOWN_SESSION, late.status(), "the CLOSE was applied before it");
            assertInstanceOf(IllegalStateException.class, Await.failure(client.submit(utf8("c")), WAIT));
            awaitAppliedEverywhere(cluster, 1);
            for (String id : cluster.nodes().keySet()) {
                assertEquals(List.of("a"), cluster.stateMachine(id).applied(), id);
            }
        }
    }

    @Test
    void aRegistrationBeyondTheSessionCapEvictsTheLeastRecentlyActiveSessionWithAClearError() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(60_000, () -> 1_000).sessionLimits(new SessionLimits(1, 10)).build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            SessionClient first = Await.result(SessionClient.open(leader, CLIENT_TIMEOUT_MS), WAIT);
            Await.result(first.submit(utf8("a")), WAIT);
            SessionClient second = Await.result(SessionClient.open(leader, CLIENT_TIMEOUT_MS), WAIT);

            SessionExpiredException evicted = assertInstanceOf(SessionExpiredException.class,
                    Await.failure(first.submit(utf8("b")), WAIT));
            assertFalse(evicted.earlierAttemptMayHaveApplied());
            Await.result(second.submit(utf8("c")), WAIT);
            awaitAppliedEverywhere(cluster, 2);
            for (String id : cluster.nodes().keySet()) {
                assertEquals(List.of("a", "c"), cluster.stateMachine(id).applied(), id);
            }
        }
    }

    @Test
    void aCommandBeyondTheHeldResultsCapIsRefusedAsCertainlyNotApplied() {
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new)
                .sessions(60_000, () -> 1_000).sessionLimits(new SessionLimits(10, 1)).build().start()) {
            RaftNode node = cluster.awaitLeader(WAIT);
            SessionClient client = Await.result(SessionClient.open(node, CLIENT_TIMEOUT_MS), WAIT);
            long session = client.sessionId();
            // another process of the same session holds the one result allowed: seq 2, not acknowledged
            assertEquals(SessionReply.Status.APPLIED,
                    submitRaw(node, SessionEnvelope.command(session, 2, 1, utf8("x"))).status());
            assertEquals(SessionReply.Status.TOO_MANY_UNACKNOWLEDGED,
                    submitRaw(node, SessionEnvelope.command(session, 3, 1, utf8("y"))).status());

            TooManyUnacknowledgedException refused = assertInstanceOf(TooManyUnacknowledgedException.class,
                    Await.failure(client.submit(utf8("a")), WAIT)); // its seq 1, acknowledging nothing
            assertTrue(refused.getMessage().contains("maxUnacknowledgedResults"), refused.getMessage());
            assertEquals(List.of("x"), cluster.stateMachine(node.nodeId()).applied());
        }
    }
}
