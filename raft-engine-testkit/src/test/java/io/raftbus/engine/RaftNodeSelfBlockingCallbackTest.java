package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dependent stage or a listener running on a node's callback thread that blocks ({@code get}, {@code join},
 * {@code get(timeout)}) on a not-yet-done future of that same node gets an {@link IllegalStateException} naming the
 * cause and the fix, instead of deadlocking the node's callbacks; the node's callbacks then carry on. A future
 * already done, or another node's future, may still be waited on there. Each blocking call is bounded by
 * {@link TestNodes#DEADLINE}, so a deadlock fails the test rather than hanging it.
 */
class RaftNodeSelfBlockingCallbackTest {

    private static final String CALLBACK_THREAD = "raftbus-n1-callbacks";

    private final List<RaftNode> nodes = new ArrayList<>();
    /** Holds the apply of the command {@code "held"} until the test attached its dependent. */
    private final CompletableFuture<Void> releaseHeld = new CompletableFuture<>();

    @AfterEach
    void closeAll() {
        releaseHeld.complete(null);
        nodes.forEach(RaftNode::close);
    }

    @Test
    void joinOnTheNodesOwnSubmitFailsClearly() {
        RaftNode node = leadingNode("n1");

        Object outcome = inCallback(node, () -> node.submit(bytes("b")).join());

        assertGuarded(outcome);
        assertNodeCarriesOn(node);
    }

    @Test
    void getOnTheNodesOwnSubmitFailsClearly() {
        RaftNode node = leadingNode("n1");

        assertGuarded(inCallback(node, () -> node.submit(bytes("b")).get()));
    }

    /** Throws at once rather than waiting out the timeout: the node cannot deliver the outcome meanwhile. */
    @Test
    void getWithATimeoutOnTheNodesOwnSubmitFailsClearlyAtOnce() {
        RaftNode node = leadingNode("n1");

        assertGuarded(inCallback(node, () -> node.submit(bytes("b")).get(1, TimeUnit.HOURS)));
    }

    @Test
    void joinOnTheNodesOwnReadFailsClearly() {
        RaftNode node = leadingNode("n1");

        assertGuarded(inCallback(node, () -> node.read(bytes("q")).join()));
        assertNodeCarriesOn(node);
    }

    @Test
    void aListenerBlockingOnTheNodesOwnSubmitFailsClearly() {
        RaftNode node = node("n1");
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        node.addListener(new RaftListener() {
            @Override
            public void onRoleChange(String nodeId, Role from, Role to, long term) {
                if (to == Role.LEADER) {
                    outcome.complete(capture(() -> node.submit(bytes("x")).join()));
                }
            }
        });
        node.start();

        assertGuarded(Await.result(outcome, DEADLINE));
        assertNodeCarriesOn(node);
    }

    @Test
    void joinOnTheNodesOwnSnapshotFutureFailsClearly() {
        RaftNode node = leadingNode("n1");

        assertGuarded(inCallback(node, () -> node.takeSnapshot().join()));
        assertNodeCarriesOn(node);
    }

    @Test
    void aFutureAlreadyDoneMayBeJoinedOnTheCallbackThread() {
        RaftNode node = leadingNode("n1");
        CompletableFuture<byte[]> done = node.submit(bytes("done"));
        Await.result(done, DEADLINE);

        assertArrayEquals(bytes("done"), (byte[]) inCallback(node, done::join));
    }

    @Test
    void joinOnAnotherNodesSubmitStillWorksOnTheCallbackThread() {
        RaftNode node = leadingNode("n1");
        RaftNode other = leadingNode("n2");

        Object outcome = inCallback(node, () -> other.submit(bytes("elsewhere")).join());

        assertArrayEquals(bytes("elsewhere"), (byte[]) outcome);
    }

    /** A one-node cluster of its own (own network), started and leading, its election's notification delivered. */
    private RaftNode leadingNode(String id) {
        RaftNode node = node(id);
        node.start();
        Await.until(id + " to lead", () -> node.status().isLeader());
        Await.until(id + "'s callback thread to run the election's notification", node::callbacksIdle);
        return node;
    }

    /** A one-node cluster whose state machine holds the command {@code "held"} until {@link #releaseHeld}. */
    private RaftNode node(String id) {
        RaftNode node = RaftNode.builder().nodeId(id).members(Set.of(id)).clusterId("self-blocking")
                .config(RaftNodeCluster.FAST).transport(new InMemoryNetwork().transport(id))
                .log(new InMemoryLog()).stateMachine((index, command) -> {
                    if (Arrays.equals(command, bytes("held"))) {
                        Await.result(releaseHeld, DEADLINE);
                    }
                    return command;
                }).randomSeed(1).build();
        nodes.add(node);
        return node;
    }

    /**
     * Runs {@code blocking} in a dependent stage that runs on the node's callback thread (the submit it depends on is
     * held until the stage is attached), and returns what it returned or threw, within {@link TestNodes#DEADLINE}.
     */
    private Object inCallback(RaftNode node, Blocking blocking) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        node.submit(bytes("held")).whenComplete((result, failure) -> {
            if (!Thread.currentThread().getName().equals(CALLBACK_THREAD)) {
                outcome.complete(new AssertionError("ran on " + Thread.currentThread().getName()));
                return;
            }
            outcome.complete(capture(blocking));
        });
        releaseHeld.complete(null);
        return Await.result(outcome, DEADLINE);
    }

    private static Object capture(Blocking blocking) {
        try {
            return blocking.call();
        } catch (Throwable e) {
            return e;
        }
    }

    private static void assertGuarded(Object outcome) {
        IllegalStateException error = assertInstanceOf(IllegalStateException.class, outcome);
        assertTrue(error.getMessage().contains("own callback thread"), error.getMessage());
        assertTrue(error.getMessage().contains("thenCompose"), error.getMessage());
    }

    /** The callback thread was not left blocked: later outcomes of the node still arrive. */
    private static void assertNodeCarriesOn(RaftNode node) {
        assertArrayEquals(bytes("after"), Await.result(node.submit(bytes("after")), DEADLINE));
        assertEquals(Role.LEADER, node.status().role());
    }

    /** A blocking call made on the callback thread. */
    @FunctionalInterface
    private interface Blocking {
        Object call() throws Exception;
    }
}
