package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MembershipRequest} against in-memory nodes: what it finishes, retries and refuses. */
class MembershipRequestTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);

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

    @Test
    void aNodeLeftALearnerByAnEarlierAttemptIsPromotedAndAMemberRemoved() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        cluster.awaitLeader(DEADLINE);
        joiner = RaftNode.builder().nodeId("n4").members(Set.of("n1", "n2", "n3")).join(true)
                .clusterId(cluster.clusterId()).config(RaftNodeCluster.FAST)
                .transport(cluster.network().transport("n4")).log(new InMemoryLog())
                .stateMachine(new RecordingStateMachine()).build();
        joiner.start();
        Await.until("n4 to be a learner", () -> {
            try {
                leader().orElseThrow().addLearner("n4").get();
            } catch (Exception e) {
                // refused for now, or the leader moved on: ask again
            }
            return leader().map(l -> l.status().learners().contains("n4")).orElse(false);
        }, DEADLINE);

        MembershipRequest.addVoter(this::leader, "n4", deadline(), DEADLINE);
        assertTrue(leader().orElseThrow().status().voters().contains("n4"), "promoted, not added twice");

        String follower = leader().orElseThrow().nodeId().equals("n1") ? "n2" : "n1";
        MembershipRequest.remove(this::leader, follower, deadline(), DEADLINE);
        Await.until(follower + " to know it was removed", () -> cluster.node(follower).status().isNonMember(),
                DEADLINE);
        Set<String> voters = leader().orElseThrow().status().voters();
        assertEquals(3, voters.size(), voters::toString);
        assertTrue(voters.contains("n4") && !voters.contains(follower), voters::toString);

        ClusterException notMember = assertThrows(ClusterException.class,
                () -> MembershipRequest.remove(this::leader, "n9", deadline(), DEADLINE));
        assertTrue(notMember.getMessage().startsWith("n9 is not a member"), notMember.getMessage());
    }

    @Test
    void theLastVoterIsRefusedAndNoLeaderFailsAtTheDeadlineSayingSo() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build().start();
        RaftNode only = cluster.awaitLeader(DEADLINE);
        ClusterException last = assertThrows(ClusterException.class,
                () -> MembershipRequest.remove(this::leader, only.nodeId(), deadline(), DEADLINE));
        assertEquals("cannot remove " + only.nodeId() + ", the last voter", last.getMessage());

        Duration short_ = Duration.ofMillis(200);
        ClusterException noLeader = assertThrows(ClusterException.class, () -> MembershipRequest.addVoter(
                Optional::empty, "n4", System.nanoTime() + short_.toNanos(), short_));
        assertEquals("adding n4 not done within 0.2 s (no node knows a leader)", noLeader.getMessage());
    }

    private long deadline() {
        return System.nanoTime() + DEADLINE.toNanos();
    }

    /** The node leading in the highest term, if any. */
    private Optional<RaftNode> leader() {
        List<RaftNode> all = new ArrayList<>(cluster.nodes().values());
        if (joiner != null) {
            all.add(joiner);
        }
        return all.stream().filter(n -> n.status().isLeader()).max(Comparator.comparingLong(n -> n.status().term()));
    }
}
