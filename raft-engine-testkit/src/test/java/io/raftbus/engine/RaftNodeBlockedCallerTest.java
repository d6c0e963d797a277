package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.PausableTransport;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller blocked on a submit's future is woken by the event loop and completes the future on its own thread: the
 * outcome arrives, dependents (registered before, during or after the wait, directly or through {@code allOf}) never
 * run on the event loop, the command timeout still fails a blocked caller, the outcome is counted once however
 * many callers wait, and a blocked caller never overtakes an outcome decided before its own. A caller that does not
 * block is completed on the callback thread as before.
 */
class RaftNodeBlockedCallerTest {

    private static final String LOOP_THREAD = "raftbus-n1";

    private final List<RaftNode> nodes = new ArrayList<>();
    private final CountDownLatch releaseApply = new CountDownLatch(1);
    private final CallerThreads callers = new CallerThreads();
    private RaftNodeCluster<?> cluster;

    @AfterEach
    void closeAll() throws InterruptedException {
        releaseApply.countDown();
        nodes.forEach(RaftNode::close);
        if (cluster != null) {
            cluster.close();
        }
        callers.joinAll();
    }

    @Test
    void aJoinedCallerCompletesTheFutureAndNoDependentRunsOnTheLoop() {
        RaftNode node = singleNode((index, command) -> {
            if (Arrays.equals(command, bytes("held"))) {
                awaitRelease();
            }
            return command;
        });
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        CompletableFuture<byte[]> future = node.submit(bytes("held"));
        future.thenRun(() -> ranOn.put("before", Thread.currentThread().getName()));
        CompletableFuture.allOf(future).thenRun(() -> ranOn.put("allOf before", Thread.currentThread().getName()));
        AtomicReference<byte[]> joined = new AtomicReference<>();
        Thread caller = callers.start("caller", () -> joined.set(future.join()));
        Await.until("the caller to block on the future", ((BlockedCallerFuture) future)::hasWaiter);
        future.thenRun(() -> ranOn.put("during", Thread.currentThread().getName()));
        CompletableFuture.allOf(future).thenRun(() -> ranOn.put("allOf during", Thread.currentThread().getName()));

        releaseApply.countDown(); // the loop applies the command and hands its outcome over

        Await.until("the caller to return", () -> !caller.isAlive());
        assertArrayEquals(bytes("held"), joined.get());
        future.thenRun(() -> ranOn.put("after", Thread.currentThread().getName()));
        CompletableFuture.allOf(future).thenRun(() -> ranOn.put("allOf after", Thread.currentThread().getName()));
        String self = Thread.currentThread().getName();
        assertEquals(Map.of("before", "caller", "allOf before", "caller", "during", "caller", "allOf during",
                "caller", "after", self, "allOf after", self), ranOn, "the caller's thread completed it");
        assertTrue(ranOn.values().stream().noneMatch(LOOP_THREAD::equals));
        assertEquals(1, node.metrics().commands(NodeMetrics.Outcome.SUCCEEDED));
    }

    @Test
    void aCallerThatDoesNotBlockIsCompletedOnTheCallbackThread() {
        RaftNode node = singleNode((index, command) -> {
            awaitRelease(); // until the callback is registered, so that it runs where the future completes
            return command;
        });
        AtomicReference<String> ranOn = new AtomicReference<>();

        node.submit(bytes("x")).whenComplete((r, e) -> ranOn.set(Thread.currentThread().getName()));
        releaseApply.countDown();

        assertEquals(LOOP_THREAD + "-callbacks", Await.value("the callback", ranOn::get));
    }

    @Test
    void aBlockedCallerDoesNotOvertakeAnOutcomeDecidedBeforeIt() {
        CountDownLatch releaseX = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        RaftNode node = singleNode((index, command) -> {
            if (Arrays.equals(command, bytes("x"))) {
                await(releaseX);
            } else if (Arrays.equals(command, bytes("b"))) {
                await(releaseB);
            }
            return command;
        });
        CountDownLatch callbackHeld = new CountDownLatch(1);
        node.submit(bytes("x")).thenRun(() -> {
            callbackHeld.countDown();
            awaitRelease(); // holds the callback thread until the end of the test
        });
        releaseX.countDown();
        Await.until("x's dependent to hold the callback thread", () -> callbackHeld.getCount() == 0);
        CompletableFuture<byte[]> a = node.submit(bytes("a")); // its outcome waits behind the held callback thread
        CompletableFuture<byte[]> b = node.submit(bytes("b"));
        AtomicReference<Boolean> aDoneWhenBReturned = new AtomicReference<>();
        callers.start("caller", () -> {
            b.join();
            aDoneWhenBReturned.set(a.isDone());
        });
        Await.until("the caller to block on b", ((BlockedCallerFuture) b)::hasWaiter);

        releaseB.countDown(); // b's outcome is decided with its caller blocked, after a's
        Await.until("b to be applied", () -> node.status().lastApplied() >= 4);
        releaseApply.countDown(); // the callback thread runs on: a's completion, then b's

        assertEquals(Boolean.TRUE, Await.value("the caller to return", aDoneWhenBReturned::get),
                "futures complete in the order the loop decided their outcomes");
    }

    @Test
    void manyCallersBlockedOnOneFutureAllGetItsOutcomeCountedOnce() {
        RaftNode node = singleNode((index, command) -> {
            awaitRelease();
            return command;
        });
        CompletableFuture<byte[]> future = node.submit(bytes("shared"));
        Map<String, byte[]> results = new ConcurrentHashMap<>();
        for (int i = 0; i < 4; i++) {
            String name = "caller-" + i;
            boolean joins = i % 2 == 0;
            callers.start(name, () -> results.put(name, joins ? future.join() : getQuietly(future)));
        }
        Await.until("a caller to block on the future", ((BlockedCallerFuture) future)::hasWaiter);

        releaseApply.countDown();

        Await.until("every caller to return", () -> results.size() == 4);
        results.values().forEach(r -> assertArrayEquals(bytes("shared"), r));
        assertEquals(1, node.metrics().commands(NodeMetrics.Outcome.SUCCEEDED));
    }

    @Test
    void theCommandTimeoutFailsACallerBlockedInJoin() {
        Map<String, PausableTransport> transports = new HashMap<>();
        // STEADY: the leader must still lead when it is cut off (FAST's 300-600 ms moved it when its thread starved)
        RaftConfig config = RaftNodeCluster.STEADY.toBuilder().checkQuorum(false).forwardTimeoutMs(1_000)
                .commandTimeoutMs(1_500).build();
        var started = RaftNodeCluster.builder(3, RecordingStateMachine::new).config(config)
                .wrapTransports((id, transport) -> {
                    PausableTransport pausable = new PausableTransport(transport);
                    transports.put(id, pausable);
                    return pausable;
                }).build().start();
        cluster = started;
        RaftNode leader = started.awaitLeader(DEADLINE);
        Await.result(Submit.retrying(leader, bytes("before")), DEADLINE);
        transports.get(leader.nodeId()).pause();
        CompletableFuture<byte[]> command = leader.submit(bytes("cut off"));

        AtomicReference<Throwable> failure = callers.joinFailure(command);

        assertInstanceOf(CommandOutcomeUnknownException.class, Await.value("the caller's failure", failure::get));
        assertEquals(1, leader.metrics().commands(NodeMetrics.Outcome.OUTCOME_UNKNOWN));
    }

    private RaftNode singleNode(StateMachine stateMachine) {
        RaftNode node = RaftNode.builder().nodeId("n1").members(Set.of("n1")).clusterId("blocked")
                .config(RaftNodeCluster.FAST).transport(new InMemoryNetwork().transport("n1"))
                .log(new InMemoryLog()).stateMachine(stateMachine).randomSeed(1).build();
        nodes.add(node);
        node.start();
        Await.until("n1 to lead", () -> node.status().isLeader());
        // the election's listener notification reaches the callback thread after the status says leader; until it
        // has run there, an outcome goes through that thread, in order, rather than to a blocked caller
        Await.until("the callback thread to run the election's notification", node::callbacksIdle);
        return node;
    }

    private void awaitRelease() {
        await(releaseApply);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the test did not release the apply");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] getQuietly(CompletableFuture<byte[]> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
