package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A leader hands the outcome of a command to its callback thread before it tells the followers the new commit index:
 * here the leader's transport holds every commit notice (an AppendEntries without entries) that carries the
 * command's commit until the test lets it go, and the caller's future completes meanwhile.
 */
class RaftNodeCompletionOrderTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");

    private final List<RaftNode> nodes = new ArrayList<>();
    private final CountDownLatch letGo = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        letGo.countDown(); // a held send would keep the crash waiting for the effect under way
        nodes.forEach(RaftNode::crash);
    }

    @Test
    void aCommandsOutcomeReachesTheCallerBeforeTheFollowersHearItIsCommitted() {
        InMemoryNetwork network = new InMemoryNetwork();
        CommitHoldingTransport held = new CommitHoldingTransport(network.transport("n1"));
        // CheckQuorum off: followers starved past n1's 1-2 s window on a loaded machine would depose it mid-test, and
        // with their 60 s timeouts nothing else can
        RaftConfig leading = RaftConfig.builder().electionTimeoutMs(1_000, 2_000).heartbeatIntervalMs(30)
                .checkQuorum(false).build();
        RaftConfig patient = RaftConfig.builder().electionTimeoutMs(60_000, 120_000).heartbeatIntervalMs(30).build();
        RaftNode leader = node("n1", leading, held);
        node("n2", patient, network.transport("n2"));
        node("n3", patient, network.transport("n3"));
        nodes.forEach(RaftNode::start);
        Await.until("n1, the only node with a short election timeout, to lead", () -> leader.status().isLeader());
        Await.result(leader.submit(bytes("first")), DEADLINE);
        held.holdCommitsAbove(leader.status().commitIndex());

        CompletableFuture<byte[]> outcome = leader.submit(bytes("second"));

        assertArrayEquals(bytes("second"), Await.result(outcome, DEADLINE),
                "completed while the leader's loop is held sending the new commit index");
        Await.until("the leader to send the new commit index (held)", held::heldOne);
        letGo.countDown();
        Await.until("the followers to apply the second command", () -> nodes.stream()
                .allMatch(n -> n.status().lastApplied() >= leader.status().commitIndex()));
    }

    private RaftNode node(String id, RaftConfig config, Transport transport) {
        RaftNode node = RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("order").config(config)
                .transport(transport).log(new InMemoryLog()).stateMachine((index, command) -> command)
                .randomSeed(1).build();
        nodes.add(node);
        return node;
    }

    /** Holds (on the sending thread, the leader's loop) an AppendEntries telling a commit index above a threshold. */
    private final class CommitHoldingTransport extends ForwardingTransport {
        private final AtomicLong threshold = new AtomicLong(Long.MAX_VALUE);
        private final CountDownLatch held = new CountDownLatch(1);

        CommitHoldingTransport(Transport delegate) {
            super(delegate);
        }

        void holdCommitsAbove(long commitIndex) {
            threshold.set(commitIndex);
        }

        boolean heldOne() {
            return held.getCount() == 0;
        }

        @Override
        public void send(RaftMessage message) {
            // only a commit notice (no entries) is what the loop sends after the hand-over; an AppendEntries with
            // entries goes out before the iteration's completions by design, so holding one would hold the loop
            // before the outcome is handed over
            if (message instanceof AppendEntriesRequest request && request.entries().isEmpty()
                    && request.leaderCommit() > threshold.get()) {
                held.countDown();
                try {
                    letGo.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.send(message);
        }
    }
}
