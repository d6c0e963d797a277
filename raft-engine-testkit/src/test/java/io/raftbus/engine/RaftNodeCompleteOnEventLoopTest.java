package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * {@link RaftConfig#completeOnEventLoop()}: on, the leader's event loop completes submit futures itself, so their
 * dependent stages run on it, in the order the outcomes were decided, a throwing one stopping neither the rest nor
 * the loop, and one blocking on a submit's future there fails with {@link IllegalStateException}; off, dependents
 * never run on the loop. Each command's apply waits at a gate the test opens once its dependents are attached, so
 * they are attached before the outcome is known, whatever the threads' timing.
 */
class RaftNodeCompleteOnEventLoopTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");

    private final List<RaftNode> nodes = new ArrayList<>();
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

    @AfterEach
    void closeAll() {
        gate.get().countDown();
        nodes.forEach(RaftNode::crash);
    }

    @Test
    void dependentsRunOnTheLeadersEventLoopInTheOrderDecided() {
        RaftNode leader = cluster(true);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> stages = new ArrayList<>();

        closeGate();
        for (int i = 0; i < 50; i++) {
            int n = i;
            stages.add(leader.submit(bytes("c" + i)).whenComplete((result, error) -> {
                order.add(n);
                threads.add(Thread.currentThread().getName());
            }));
        }
        openGate();

        stages.forEach(stage -> Await.result(stage, DEADLINE));
        assertEquals(rangeOf(50), order);
        assertEquals(Collections.nCopies(50, "raftbus-n1"), threads);
    }

    @Test
    void offDependentsNeverRunOnTheEventLoop() {
        RaftNode leader = cluster(false);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> stages = new ArrayList<>();

        closeGate();
        for (int i = 0; i < 20; i++) {
            stages.add(leader.submit(bytes("c" + i))
                    .whenComplete((result, error) -> threads.add(Thread.currentThread().getName())));
        }
        openGate();

        stages.forEach(stage -> Await.result(stage, DEADLINE));
        assertEquals(Collections.nCopies(20, "raftbus-n1-callbacks"), threads);
    }

    @Test
    void aDependentBlockingOnASubmitOnTheLoopFailsClearlyAndTheNodeGoesOn() {
        RaftNode leader = cluster(true);
        AtomicReference<Throwable> blocked = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();

        closeGate();
        CompletableFuture<byte[]> outer = leader.submit(bytes("outer"));
        CompletableFuture<?> stage = outer.whenComplete((result, error) -> {
            thread.set(Thread.currentThread().getName());
            try {
                leader.submit(bytes("inner")).join();
            } catch (RuntimeException e) {
                blocked.set(e);
            }
        });
        openGate();

        Await.result(stage, DEADLINE);
        assertEquals("raftbus-n1", thread.get());
        assertInstanceOf(IllegalStateException.class, blocked.get());
        assertTrue(blocked.get().getMessage().contains("completeOnEventLoop"), blocked.get().getMessage());
        assertArrayEquals(bytes("after"), Await.result(leader.submit(bytes("after")), DEADLINE),
                "the loop goes on");
    }

    @Test
    void aThrowingDependentStopsNeitherTheRestNorTheLoop() {
        RaftNode leader = cluster(true);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> stages = new ArrayList<>();

        closeGate();
        for (int i = 0; i < 3; i++) {
            int n = i;
            stages.add(leader.submit(bytes("c" + i)).whenComplete((result, error) -> {
                order.add(n);
                if (n == 1) {
                    throw new IllegalArgumentException("a dependent's bug");
                }
            }));
        }
        openGate();

        Await.result(stages.get(0), DEADLINE);
        Throwable thrown = Await.failure(stages.get(1), DEADLINE);
        assertInstanceOf(IllegalArgumentException.class, thrown instanceof java.util.concurrent.CompletionException
                ? thrown.getCause() : thrown);
        Await.result(stages.get(2), DEADLINE);
        assertEquals(List.of(0, 1, 2), order);
        assertArrayEquals(bytes("after"), Await.result(leader.submit(bytes("after")), DEADLINE),
                "the loop goes on");
        assertTrue(leader.status().isLeader());
    }

    /**
     * Three nodes, n1 the leader (the only one with a short election timeout), each apply waiting at the gate; with
     * the option on, returns once a command's dependent ran on n1's loop (the callback thread had nothing left from
     * the election then, so the next outcomes are the loop's to complete).
     */
    private RaftNode cluster(boolean completeOnEventLoop) {
        InMemoryNetwork network = new InMemoryNetwork();
        // CheckQuorum off: followers starved past n1's 1-2 s window on a loaded machine would depose it mid-test (its
        // next election's notification would then put outcomes on the callback thread), and with their 60 s timeouts
        // nothing else can
        RaftConfig leading = RaftConfig.builder().electionTimeoutMs(1_000, 2_000).heartbeatIntervalMs(30)
                .checkQuorum(false).completeOnEventLoop(completeOnEventLoop).build();
        RaftConfig patient = leading.toBuilder().electionTimeoutMs(60_000, 120_000).build();
        for (String id : List.of("n1", "n2", "n3")) {
            RaftNode node = RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("on-loop")
                    .config(id.equals("n1") ? leading : patient).transport(network.transport(id))
                    .log(new InMemoryLog()).stateMachine(this::applyAtGate).randomSeed(1).build();
            nodes.add(node);
        }
        nodes.forEach(RaftNode::start);
        RaftNode leader = nodes.get(0);
        Await.until("n1 to lead", () -> leader.status().isLeader());
        if (completeOnEventLoop) {
            Await.until("a command's dependent to run on n1's loop", () -> "raftbus-n1".equals(Await.result(
                    leader.submit(bytes("warm-up")).thenApply(r -> Thread.currentThread().getName()), DEADLINE)));
        }
        return leader;
    }

    private byte[] applyAtGate(long index, byte[] command) {
        try {
            if (!gate.get().await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the gate stayed closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return command;
    }

    private void closeGate() {
        gate.set(new CountDownLatch(1));
    }

    private void openGate() {
        gate.get().countDown();
    }

    private static List<Integer> rangeOf(int n) {
        List<Integer> range = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            range.add(i);
        }
        return range;
    }
}
