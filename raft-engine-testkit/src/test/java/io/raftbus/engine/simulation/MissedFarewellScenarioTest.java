package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.core.MembershipChange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.raftbus.engine.core.MembershipChange.Kind.REMOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A voter removed while it was down never got its farewell: back up, its log still lists it as a voter, so it
 * pre-votes on every election timeout, and every voter drops (and counts) each pre-vote, for ever. The leader, on a
 * campaign request from a node no configuration it holds knows, sends it its farewell again (the entries after the
 * point where their logs meet, and the commit index): the node learns its removal committed and falls silent. With
 * this seed the three members dropped 36 of its requests in the 3 s after its restart and 66 in the 5 s after that
 * before; 4, then none, now.
 */
class MissedFarewellScenarioTest {

    private static final long BOUND_MS = 20_000;

    @Test
    void aRemovedNodeThatMissedItsFarewellStopsCampaigning() {
        RaftConfig config = RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(50).build();
        Simulation sim = Simulation.builder(3).nodeIds(List.of("n1", "n2", "n3", "n4")).config(config).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), BOUND_MS), "a leader is elected");
        String removed = sim.nodeIds().stream().filter(id -> !id.equals(sim.leader().orElseThrow()))
                .findFirst().orElseThrow();
        for (int i = 0; i < 20; i++) {
            commit(sim, sim.submit(sim.leader().orElseThrow(), ("cmd-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        sim.crash(removed);
        commit(sim, sim.changeMembership(sim.leader().orElseThrow(), new MembershipChange(REMOVE, removed)));
        for (int i = 20; i < 40; i++) {
            commit(sim, sim.submit(sim.leader().orElseThrow(), ("cmd-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        sim.restart(removed);
        assertTrue(sim.membership(removed).orElseThrow().voters().contains(removed),
                removed + " comes back without knowing of its removal");

        sim.runFor(3_000); // it campaigns, or has been told its removal committed
        assertFalse(sim.membership(removed).orElseThrow().voters().contains(removed),
                removed + " learned its removal: " + sim.membership(removed).orElseThrow());
        long dropped = nonMemberDrops(sim, removed);
        sim.runFor(5_000);
        assertEquals(dropped, nonMemberDrops(sim, removed), "no campaign request from " + removed
                + " since it learned its removal");
        assertTrue(sim.leader().isPresent(), "the cluster still has a leader");
    }

    /** Messages the members dropped as coming from a non-member, {@code removed}'s pre-votes among them. */
    private static long nonMemberDrops(Simulation sim, String removed) {
        return sim.nodeIds().stream().filter(id -> !id.equals(removed))
                .mapToLong(id -> sim.dropCounts(id).getOrDefault("non-member", 0L)).sum();
    }

    private static void commit(Simulation sim, long proposal) {
        assertTrue(sim.runUntil(() -> sim.outcome(proposal).status() != ProposalOutcome.Status.PENDING, BOUND_MS));
        assertEquals(ProposalOutcome.Status.COMMITTED, sim.outcome(proposal).status(), "" + sim.outcome(proposal));
    }
}
