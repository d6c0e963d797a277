package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership changes through the node API, on real threads over the in-memory network. */
class RaftNodeMembershipTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(20);

    private RaftNodeCluster<RecordingStateMachine> cluster;
    private RaftNode joiner;

    @AfterEach
    void close() {
        if (joiner != null) {
            joiner.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Delegates, and records what it is told of the membership. */
    private static final class RecordingTransport implements Transport {
        final Transport inner;
        final List<Membership> told = new CopyOnWriteArrayList<>();

        RecordingTransport(Transport inner) {
            this.inner = inner;
        }

        @Override
        public void start(String localNodeId, Consumer<RaftMessage> inbound) {
            inner.start(localNodeId, inbound);
        }

        @Override
        public void send(RaftMessage message) {
            inner.send(message);
        }

        @Override
        public void membershipChanged(Membership membership) {
            told.add(membership);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aJoiningNodeIsAddedAsAVoterThenAFollowerIsRemoved() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(leader.submit("before".getBytes(StandardCharsets.UTF_8)), DEADLINE);

        RecordingStateMachine joinerMachine = new RecordingStateMachine();
        RecordingTransport joinerTransport = new RecordingTransport(cluster.network().transport("n4"));
        joiner = RaftNode.builder().nodeId("n4").members(Set.of("n1", "n2", "n3")).join(true)
                .clusterId(cluster.clusterId()).config(RaftNodeCluster.FAST).transport(joinerTransport)
                .log(new InMemoryLog()).stateMachine(joinerMachine).randomSeed(4).build();
        joiner.start();
        assertTrue(joiner.status().isNonMember(), "it waits to be added: " + joiner.status());

        Await.result(leader.addMember("n4"), DEADLINE);
        assertEquals(Set.of("n1", "n2", "n3", "n4"), leader.status().voters());
        Await.until("n4 to learn it votes", () -> joiner.status().isVoter());
        Await.until("n4 to apply what was committed before it joined", () -> joinerMachine.size() >= 1);
        assertTrue(joinerTransport.told.stream().anyMatch(m -> m.voters().contains("n4")),
                "the transport is told of the new configuration: " + joinerTransport.told);

        String follower = cluster.followers(leader).get(0);
        List<Set<String>> seenByRemoved = new CopyOnWriteArrayList<>();
        cluster.node(follower).addListener(new RaftListener() {
            @Override
            public void onMembershipChange(String nodeId, Set<String> voters, Set<String> learners) {
                seenByRemoved.add(voters);
            }
        });
        Await.result(leader.removeMember(follower), DEADLINE);
        Await.until("the removed follower's listener to hear of it",
                () -> seenByRemoved.stream().anyMatch(v -> !v.contains(follower)));
        assertTrue(cluster.node(follower).status().isNonMember());
        assertTrue(!leader.status().voters().contains(follower));
        Await.result(leader.submit("after".getBytes(StandardCharsets.UTF_8)), DEADLINE);
        Await.until("n4 to apply a command committed without the removed member",
                () -> joinerMachine.applied().contains("after"));
    }

    @Test
    void changesAreRefusedClearly() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));

        Throwable notLeader = Await.failure(follower.addLearner("n9"), DEADLINE);
        assertInstanceOf(NotLeaderException.class, notLeader);
        Await.until("the leader to have committed its term", () -> leader.status().commitIndex() >= 1);
        assertInstanceOf(InvalidMembershipChangeException.class, Await.failure(leader.promote("n9"), DEADLINE));
        assertInstanceOf(InvalidMembershipChangeException.class,
                Await.failure(leader.removeMember("n9"), DEADLINE));
    }
}
