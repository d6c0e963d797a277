package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MembershipRequest} against in-memory nodes: what it finishes, retries and refuses. */
class MembershipRequestTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeLeftALearnerByAnEarlierAttemptIsPromotedAndAMemberRemoved() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        cluster.awaitLeader(DEADLINE);
        cluster.startJoiner("n4", new RecordingStateMachine());
        Await.until("n4 to be a learner", () -> {
            try {
                leader().orElseThrow().addLearner("n4").get();
            } catch (Exception e) {
                // refused for now, or the leader moved on: ask again
            }
            return leader().map(l -> l.status().learners().contains("n4")).orElse(false);
        }, DEADLINE);

        MembershipRequest.addVoter(this::leader, "n4", deadline(), DEADLINE);
        assertTrue(currentLeader().status().voters().contains("n4"), "promoted, not added twice");

        String follower = currentLeader().nodeId().equals("n1") ? "n2" : "n1";
        MembershipRequest.remove(this::leader, follower, deadline(), DEADLINE);
        Await.until(follower + " to know it was removed", () -> cluster.node(follower).status().isNonMember(),
                DEADLINE);
        Set<String> voters = currentLeader().status().voters();
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

    /** The node leading in the highest term, waiting for one: an election may be under way on a loaded machine. */
    private RaftNode currentLeader() {
        return Await.value("a leader", () -> leader().orElse(null), DEADLINE);
    }

    /** The node leading in the highest term, if any. */
    private Optional<RaftNode> leader() {
        return cluster.leaderOfHighestTerm();
    }
}
