package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What callers of {@link RaftNode#submit(byte[])} see besides success. */
class RaftNodeSubmitTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;
    private final List<RaftNode> extraNodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        if (cluster != null) {
            cluster.close();
        }
        extraNodes.forEach(RaftNode::close);
    }

    @Test
    void aFollowerWithoutForwardingFailsFastWithTheLeadersId() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().forwardToLeader(false).build()).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));

        Throwable failure = Await.failure(follower.submit(bytes("x")), DEADLINE);

        NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class, failure);
        assertEquals(leader.nodeId(), notLeader.leaderId());
        assertInstanceOf(RetriableCommandException.class, notLeader, "nothing was applied: safe to retry");
        assertEquals("1", new String(Await.result(leader.submit(bytes("y")), DEADLINE), StandardCharsets.UTF_8));
    }

    @Test
    void statusReadAfterACompletedSubmitAlreadyCountsThatCommand() throws InterruptedException {
        // no forwarding: a command that completes was applied by the node it was submitted to
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().forwardToLeader(false).build()).build().start();
        // a loaded machine may depose the leader mid-run: a submit that fails (certainly not applied, or outcome
        // unknown) says nothing about the property; it is checked on the next leader with a new command
        long giveUp = System.nanoTime() + DEADLINE.toNanos();
        int completed = 0;
        for (int attempt = 0; completed < 100; attempt++) {
            assertTrue(System.nanoTime() - giveUp < 0, "only " + completed + " of 100 commands completed");
            RaftNode leader = cluster.awaitLeader(DEADLINE);
            long before = leader.status().lastApplied();
            try {
                leader.submit(bytes("c" + attempt)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof RetriableCommandException
                        || e.getCause() instanceof CommandOutcomeUnknownException, "unexpected failure: " + e);
                continue;
            } catch (TimeoutException e) {
                throw new AssertionError("command " + attempt + " got no outcome within " + DEADLINE, e);
            }
            RaftStatus after = leader.status();
            assertTrue(after.lastApplied() > before && after.commitIndex() >= after.lastApplied(),
                    "command " + attempt + " completed but status still says applied " + after.lastApplied()
                            + " (was " + before + ")");
            completed++;
        }
    }

    @Test
    void closeFailsEveryPendingFutureWithNodeClosedException() {
        // without CheckQuorum a leader cut off from its followers stays leader: its commands stay pending
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().checkQuorum(false).build()).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        cluster.followers(leader).forEach(cluster.network()::isolate);
        long lastIndex = leader.status().lastLogIndex();

        List<CompletableFuture<byte[]>> pending = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pending.add(leader.submit(bytes("pending-" + i)));
        }
        Await.until("the leader to append the 20 commands",
                () -> leader.status().lastLogIndex() >= lastIndex + 20);
        assertTrue(pending.stream().noneMatch(CompletableFuture::isDone), "nothing can commit without a quorum");

        leader.close();

        for (CompletableFuture<byte[]> f : pending) {
            Throwable failure = Await.failure(f, DEADLINE);
            assertInstanceOf(NodeClosedException.class, failure);
            assertEquals("node " + leader.nodeId() + " closed", failure.getMessage());
        }
        assertInstanceOf(NodeClosedException.class, Await.failure(leader.submit(bytes("late")), DEADLINE));
        leader.close(); // idempotent
    }

    @Test
    void backpressureFailsFastWhenTooManyCommandsAreUncommitted() {
        int max = 8;
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new)
                .config(RaftNodeCluster.FAST.toBuilder().checkQuorum(false).maxPendingCommands(max)
                .build()).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        cluster.followers(leader).forEach(cluster.network()::isolate);

        List<CompletableFuture<byte[]>> first = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            first.add(leader.submit(bytes("fill-" + i)));
        }
        CompletableFuture<byte[]> overflow = leader.submit(bytes("overflow"));

        assertInstanceOf(BackpressureException.class, Await.failure(overflow, DEADLINE));
        assertTrue(first.stream().noneMatch(f -> f.isDone() && !f.isCompletedExceptionally()),
                "nothing committed meanwhile");
    }

    @Test
    void theEventQueueIsBoundedAndRefusesSynchronouslyWhenFull() {
        int max = 4;
        BlockingStateMachine machine = new BlockingStateMachine();
        RaftNode node = singleNode(RaftNodeCluster.FAST.toBuilder().maxPendingCommands(max).build(), machine);
        node.start();
        Await.until("the single node to lead", () -> node.status().isLeader());

        CompletableFuture<byte[]> blocker = node.submit(bytes("block"));
        Await.until("the event loop to block in apply", () -> machine.entered.getCount() == 0);
        List<CompletableFuture<byte[]>> queued = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            queued.add(node.submit(bytes("queued-" + i)));
        }
        CompletableFuture<byte[]> refused = node.submit(bytes("refused"));

        assertTrue(refused.isCompletedExceptionally(), "refused before submit returned");
        assertInstanceOf(BackpressureException.class, Await.failure(refused, Duration.ZERO));
        assertTrue(queued.stream().noneMatch(CompletableFuture::isDone));

        machine.release.countDown();
        assertEquals("1", new String(Await.result(blocker, DEADLINE), StandardCharsets.UTF_8));
        for (CompletableFuture<byte[]> f : queued) {
            Await.result(f, DEADLINE);
        }
        assertEquals(max + 1, machine.delegate.size());
    }

    @Test
    void aCommandLargerThanAllowedFailsWithCommandTooLargeException() {
        RaftNode node = singleNode(RaftNodeCluster.FAST.toBuilder().maxCommandBytes(10).build(),
                new RecordingStateMachine());
        node.start();

        Throwable failure = Await.failure(node.submit(new byte[11]), DEADLINE);

        assertInstanceOf(CommandTooLargeException.class, failure);
        assertTrue(failure.getMessage().contains("maxCommandBytes"), failure.getMessage());
    }

    @Test
    void submitBeforeStartOrAfterCloseFailsWithNodeClosedException() {
        RaftNode node = singleNode(RaftNodeCluster.FAST, new RecordingStateMachine());

        Throwable beforeStart = Await.failure(node.submit(bytes("early")), Duration.ZERO);
        assertInstanceOf(NodeClosedException.class, beforeStart);
        assertTrue(beforeStart.getMessage().contains("not started"), beforeStart.getMessage());

        node.start();
        node.close();
        Throwable afterClose = Await.failure(node.submit(bytes("late")), Duration.ZERO);
        assertInstanceOf(NodeClosedException.class, afterClose);
        assertEquals("node solo closed", afterClose.getMessage());
    }

    private RaftNode singleNode(RaftConfig config, StateMachine machine) {
        InMemoryNetwork network = new InMemoryNetwork();
        RaftNode node = RaftNode.builder()
                .nodeId("solo")
                .members(Set.of("solo"))
                .clusterId("solo-cluster")
                .config(config)
                .transport(network.transport("solo"))
                .log(new InMemoryLog())
                .stateMachine(machine)
                .build();
        extraNodes.add(node);
        return node;
    }

    /** Blocks the event loop in its first apply until released. */
    private static final class BlockingStateMachine implements StateMachine {
        final RecordingStateMachine delegate = new RecordingStateMachine();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public byte[] apply(long index, byte[] command) {
            entered.countDown();
            try {
                assertTrue(release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.apply(index, command);
        }
    }
}
