package io.raftbus.engine;

import io.raftbus.engine.spi.ForwardingTransport;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership changes through the node API, on real threads over the in-memory network. */
class RaftNodeMembershipTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(20);

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Forwards everything, and records what it is told of the membership. */
    private static final class RecordingTransport extends ForwardingTransport {
        final List<Membership> told = new CopyOnWriteArrayList<>();

        RecordingTransport(Transport inner) {
            super(inner);
        }

        @Override
        public void membershipChanged(Membership membership) {
            told.add(membership);
            super.membershipChanged(membership);
        }
    }

    @Test
    void aJoiningNodeIsAddedAsAVoterThenAFollowerIsRemoved() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(leader.submit("before".getBytes(StandardCharsets.UTF_8)), DEADLINE);

        RecordingStateMachine joinerMachine = new RecordingStateMachine();
        RecordingTransport joinerTransport = new RecordingTransport(cluster.network().transport("n4"));
        RaftNode joiner = cluster.startJoiner("n4", joinerMachine, joinerTransport);
        assertTrue(joiner.status().isNonMember(), "it waits to be added: " + joiner.status());

        changeUntil("n4 to be a voter", () -> currentLeader().status().voters().contains("n4"), l -> l.addMember("n4"),
                l -> l.status().learners().contains("n4") ? l.promote("n4") : null);
        assertEquals(Set.of("n1", "n2", "n3", "n4"), currentLeader().status().voters());
        Await.until("n4 to learn it votes", () -> joiner.status().isVoter());
        Await.until("n4 to apply what was committed before it joined", () -> joinerMachine.size() >= 1);
        assertTrue(joinerTransport.told.stream().anyMatch(m -> m.voters().contains("n4")),
                "the transport is told of the new configuration: " + joinerTransport.told);

        leader = currentLeader();
        String follower = leader.nodeId().equals("n1") ? "n2" : "n1";
        List<Set<String>> seenByRemoved = new CopyOnWriteArrayList<>();
        cluster.node(follower).addListener(new RaftListener() {
            @Override
            public void onMembershipChange(String nodeId, Set<String> voters, Set<String> learners) {
                seenByRemoved.add(voters);
            }
        });
        changeUntil(follower + " to be removed", () -> !currentLeader().status().voters().contains(follower),
                l -> l.removeMember(follower), l -> null);
        Await.until("the removed follower's listener to hear of it",
                () -> seenByRemoved.stream().anyMatch(v -> !v.contains(follower)));
        assertTrue(cluster.node(follower).status().isNonMember());
        Await.result(currentLeader().submit("after".getBytes(StandardCharsets.UTF_8)), DEADLINE);
        Await.until("n4 to apply a command committed without the removed member",
                () -> joinerMachine.applied().contains("after"));
    }

    /** The leader of the highest term among all nodes, waiting for one. */
    private RaftNode currentLeader() {
        return Await.value("a leader", () -> cluster.leaderOfHighestTerm().orElse(null), DEADLINE);
    }

    /**
     * Asks the current leader for a change until {@code done} holds: leadership may move on a busy machine, and then
     * the change may have been made or not. {@code next} is asked first (null: nothing to finish), else
     * {@code first}; failures are retried.
     */
    private void changeUntil(String what, BooleanSupplier done,
                             Function<RaftNode, CompletableFuture<Void>> first,
                             Function<RaftNode, CompletableFuture<Void>> next) {
        Await.until(what, () -> {
            if (done.getAsBoolean()) {
                return true;
            }
            RaftNode leader = currentLeader();
            CompletableFuture<Void> change = next.apply(leader);
            try {
                (change != null ? change : first.apply(leader)).get(DEADLINE.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // retried: refused for now, outcome unknown, or the leader moved on
            }
            return done.getAsBoolean();
        }, DEADLINE);
    }

    @Test
    void changesAreRefusedClearly() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));

        Throwable notLeader = Await.failure(follower.addLearner("n9"), DEADLINE);
        assertInstanceOf(NotLeaderException.class, notLeader);
        assertInstanceOf(InvalidMembershipChangeException.class, refusedOnLeader(l -> l.promote("n9")));
        assertInstanceOf(InvalidMembershipChangeException.class, refusedOnLeader(l -> l.removeMember("n9")));
    }

    /**
     * How the current leader refuses a change, asked again while the refusal is retriable (its term's entry not
     * committed yet, or leadership moved on a busy machine).
     */
    private Throwable refusedOnLeader(Function<RaftNode, CompletableFuture<Void>> change) {
        return Await.value("a definite refusal", () -> {
            Throwable refusal = Await.failure(change.apply(currentLeader()), DEADLINE);
            return refusal instanceof RetriableCommandException ? null : refusal;
        }, DEADLINE);
    }
}
