package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-cluster behaviours on the simulation's virtual clock. */
class ClusterScenariosTest {

    private static RaftConfig config(boolean preVote, boolean checkQuorum) {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(50)
                .preVote(preVote).checkQuorum(checkQuorum).build();
    }

    private static Simulation cluster(long seed, int nodes, RaftConfig config) {
        Simulation sim = Simulation.builder(seed).nodes(nodes).config(config).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        sim.runFor(500);
        return sim;
    }

    private static String follower(Simulation sim) {
        String leader = sim.leader().orElseThrow();
        return sim.nodeIds().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    private static long term(Simulation sim, String node) {
        return sim.status(node).orElseThrow().term();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void preVoteKeepsARejoiningPartitionedNodeFromDisruptingTheLeader() {
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = cluster(seed, 3, config(true, true));
            String leader = sim.leader().orElseThrow();
            long term = term(sim, leader);
            String f = follower(sim);
            sim.isolate(f);
            sim.runFor(3_000);
            assertEquals(term, term(sim, f), "an isolated node running PreVote does not raise its term");
            sim.heal();
            sim.runFor(2_000);
            assertEquals(leader, sim.leader().orElseThrow(), "the leader stays");
            assertEquals(term, term(sim, leader), "the term stays");
        }
    }

    @Test
    void withoutPreVoteOrCheckQuorumARejoiningNodeDoesDisruptTheLeader() {
        Simulation sim = cluster(3, 3, config(false, false));
        String leader = sim.leader().orElseThrow();
        long term = term(sim, leader);
        String f = follower(sim);
        sim.isolate(f);
        sim.runFor(3_000);
        assertTrue(term(sim, f) > term + 2, "the isolated node's term runs ahead");
        sim.heal();
        sim.runFor(2_000);
        assertTrue(term(sim, sim.leader().orElseThrow()) > term, "its return forced a new election");
    }

    @Test
    void checkQuorumMakesAnIsolatedLeaderStepDown() {
        Simulation sim = cluster(11, 5, config(true, true));
        String old = sim.leader().orElseThrow();
        sim.isolate(old);
        assertTrue(sim.runUntil(() -> sim.status(old).orElseThrow().role() != Role.LEADER, 1_000),
                "the isolated leader steps down within an election timeout or two");
        assertTrue(sim.runUntil(() -> sim.leader().filter(l -> !l.equals(old)).isPresent(), 3_000),
                "the majority elects a new leader");
        long id = sim.submit(sim.leader().orElseThrow(), bytes("after"));
        assertTrue(sim.runUntil(() -> sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED, 2_000));
    }

    @Test
    void withoutCheckQuorumAnIsolatedLeaderStaysLeader() {
        Simulation sim = cluster(11, 3, config(true, false));
        String old = sim.leader().orElseThrow();
        sim.isolate(old);
        sim.runFor(3_000);
        assertEquals(Role.LEADER, sim.status(old).orElseThrow().role());
    }

    @Test
    void aCommandSubmittedOnAFollowerIsForwardedAndCompletes() {
        Simulation sim = cluster(5, 3, config(true, true));
        String f = follower(sim);
        long id = sim.submit(f, bytes("forwarded"));
        assertTrue(sim.runUntil(() -> sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED, 2_000),
                "forwarded command completes: " + sim.outcome(id));
        long index = sim.outcome(id).index();
        for (String n : sim.nodeIds()) {
            assertTrue(sim.runUntil(() -> sim.lastApplied(n) >= index, 1_000));
            assertEquals("forwarded", new String(sim.applied(n).get((int) index - 1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCrashedFollowerRestartsAndCatchesUp() {
        Simulation sim = cluster(8, 3, config(true, true));
        String f = follower(sim);
        sim.crash(f);
        String leader = sim.leader().orElseThrow();
        long last = 0;
        for (int i = 0; i < 200; i++) {
            last = sim.submit(leader, bytes("c" + i));
            sim.runFor(2);
        }
        long lastId = last;
        assertTrue(sim.runUntil(() -> sim.outcome(lastId).status() == ProposalOutcome.Status.COMMITTED, 2_000));
        sim.restart(f);
        long index = sim.outcome(lastId).index();
        assertTrue(sim.runUntil(() -> sim.lastApplied(f) >= index, 3_000), "the restarted follower catches up");
        assertEquals(sim.applied(leader).subList(0, (int) index).stream().map(b -> b == null ? "" : new String(b)).toList(),
                sim.applied(f).subList(0, (int) index).stream().map(b -> b == null ? "" : new String(b)).toList());
    }

    @Test
    void aMinorityCannotCommitAndLogsConvergeAfterHealing() {
        Simulation sim = cluster(21, 5, config(true, true));
        String leader = sim.leader().orElseThrow();
        List<String> others = sim.nodeIds().stream().filter(id -> !id.equals(leader)).toList();
        sim.partition(List.of(leader, others.get(0)));
        long stale = sim.submit(leader, bytes("minority"));
        sim.runFor(2_000);
        assertNotEquals(ProposalOutcome.Status.COMMITTED, sim.outcome(stale).status(), "a minority never commits");
        String majorityLeader = sim.leader().orElseThrow();
        assertTrue(others.subList(1, others.size()).contains(majorityLeader), "the majority has its own leader");
        long fresh = sim.submit(majorityLeader, bytes("majority"));
        assertTrue(sim.runUntil(() -> sim.outcome(fresh).status() == ProposalOutcome.Status.COMMITTED, 2_000));
        sim.heal();
        long index = sim.outcome(fresh).index();
        for (String n : sim.nodeIds()) {
            assertTrue(sim.runUntil(() -> sim.lastApplied(n) >= index, 3_000), n + " converges");
        }
        assertEquals(ProposalOutcome.Status.FAILED, sim.outcome(stale).status(),
                "the minority's command failed once its entry was replaced");
        RaftStatus s = sim.status(leader).orElseThrow();
        assertTrue(s.lastLogIndex() >= index);
    }

    /**
     * Handing leadership over, again and again, while commands keep committing: each hand-over completes in a few
     * message delays (the simulated network delays messages 1-10 ms), far below the 150 ms minimum election timeout
     * a crashed leader costs, and the term rises by exactly one each time.
     */
    @Test
    void leadershipIsHandedOverInAFewMessageDelaysAgainAndAgain() {
        for (int nodes : new int[] {3, 5}) {
            Simulation sim = cluster(7, nodes, config(true, true));
            for (int round = 0; round < 20; round++) {
                String leader = sim.leader().orElseThrow();
                long term = term(sim, leader);
                String target = sim.nodeIds().get((sim.nodeIds().indexOf(leader) + 1 + round % (nodes - 1)) % nodes);
                long submitted = sim.submit(leader, bytes("before hand-over " + round));
                assertTrue(sim.transferLeadership(target));
                long start = sim.now();
                assertTrue(sim.runUntil(() -> sim.leader().filter(target::equals).isPresent(), 100),
                        "round " + round + ": " + target + " leads");
                assertTrue(sim.now() - start < 50, (sim.now() - start) + " ms");
                assertEquals(term + 1, term(sim, target));
                long after = sim.submit(target, bytes("after hand-over " + round));
                assertTrue(sim.runUntil(() -> sim.outcome(after).status() == ProposalOutcome.Status.COMMITTED, 500));
                assertEquals(ProposalOutcome.Status.COMMITTED, sim.outcome(submitted).status(),
                        "accepted before the hand-over: committed by the old leader or with the new one");
                sim.runFor(100);
            }
        }
    }
}
