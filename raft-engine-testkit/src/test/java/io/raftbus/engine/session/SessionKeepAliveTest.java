package io.raftbus.engine.session;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic keep-alives keep an idle session open for more than its idle timeout of log time. Log time is a test
 * clock that moves only in steps of half the idle timeout, each after the kept session's keep-alives were applied,
 * so the outcome depends on no machine's speed: a session without keep-alives expires in the same log time.
 */
class SessionKeepAliveTest {

    private static final Duration WAIT = TestDeadlines.seconds(60);
    private static final long CLIENT_TIMEOUT_MS = WAIT.toMillis();
    /** The cluster's idle timeout in log-time ms; the clients keep alive after a third of it (in their own ms). */
    private static final long IDLE_MS = 600;
    private static final long START = 1_000;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long keptAlive(RaftNode node) {
        return node.sessionStats().orElseThrow().replies(SessionReply.Status.KEPT_ALIVE);
    }

    @Test
    void aSessionClientKeptAliveOutlivesItsIdleTimeoutWhileOneWithoutExpires() {
        runIdle((cluster) -> {
            SessionClient kept = Await.result(SessionClient.open(leaderOf(cluster), CLIENT_TIMEOUT_MS), WAIT)
                    .keepAliveWhileIdle();
            return new Kept(payload -> kept.submit(payload), kept::close);
        });
    }

    @Test
    void aRaftClientKeptAliveOutlivesItsIdleTimeoutWhileOneWithoutExpires() {
        runIdle((cluster) -> {
            RaftClient kept = Await.result(RaftClient.open(cluster.network().transport("kept"), "kept",
                    cluster.clusterId(), cluster.nodes().keySet(), CLIENT_TIMEOUT_MS, 300), WAIT)
                    .keepAliveWhileIdle(IDLE_MS);
            return new Kept(kept::submit, kept::close);
        });
    }

    private record Kept(Function<byte[], java.util.concurrent.CompletableFuture<byte[]>> submit, Runnable close) {
    }

    private static RaftNode leaderOf(RaftNodeCluster<RecordingStateMachine> cluster) {
        return cluster.awaitLeader(WAIT);
    }

    private static void runIdle(Function<RaftNodeCluster<RecordingStateMachine>, Kept> openKept) {
        AtomicLong logClock = new AtomicLong(START);
        try (RaftNodeCluster<RecordingStateMachine> cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .sessions(IDLE_MS, logClock::get).build().start()) {
            RaftNode leader = cluster.awaitLeader(WAIT);
            SessionClient unkept = Await.result(SessionClient.open(leader, CLIENT_TIMEOUT_MS), WAIT);
            Kept kept = openKept.apply(cluster);
            try {
                // 4 steps of half the idle timeout: 2 idle timeouts of log time pass, and neither client submits
                for (int step = 0; step < 4; step++) {
                    // each client sends one keep-alive at a time: the second applied after this point was sent after
                    // the first was answered, so it carries this step's log time
                    long seen = keptAlive(leader);
                    Await.until("two more keep-alives applied", () -> keptAlive(leader) >= seen + 2, WAIT);
                    logClock.addAndGet(IDLE_MS / 2);
                }
                long seen = keptAlive(leader);
                Await.until("a keep-alive at the last log time", () -> keptAlive(leader) >= seen + 2, WAIT);
                SessionStats stats = leader.sessionStats().orElseThrow();
                assertTrue(stats.logTimeMs() >= START + 2 * IDLE_MS, "log time passed two idle timeouts: " + stats);

                assertEquals("1", new String(Await.result(kept.submit().apply(utf8("kept")), WAIT),
                        StandardCharsets.UTF_8), "the kept session's command is applied");
                Throwable failure = Await.failure(unkept.submit(utf8("unkept")), WAIT);
                assertInstanceOf(SessionExpiredException.class, failure);

                SessionStats after = leader.sessionStats().orElseThrow();
                assertEquals(2, after.registrations(), after.summary());
                assertEquals(1, after.expirations(), after.summary());
                assertEquals(1, after.openSessions(), after.summary());
                assertTrue(after.unknownSession() >= 1, after.summary());
                for (String id : cluster.nodes().keySet()) {
                    assertFalse(cluster.stateMachine(id).applied().contains("unkept"), id);
                }
            } finally {
                kept.close().run();
            }
        }
    }
}
