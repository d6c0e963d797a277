package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.core.MembershipChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.raftbus.engine.core.MembershipChange.Kind.ADD_LEARNER;
import static io.raftbus.engine.core.MembershipChange.Kind.PROMOTE;
import static io.raftbus.engine.core.MembershipChange.Kind.REMOVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ongaro's single-server change bug (raft-dev, 2015) scripted on the {@link Simulation}, whose checker must catch it
 * when the "commit an entry of your term first" rule is off ({@link Simulation.Builder#unsafeSkipTermCommitRule}).
 * The random membership simulation did not find it in 3,000 seeds with the rule off, even proposing a change at every
 * fault-phase action: it needs an even-sized configuration, an addition that reaches only the new node, and a
 * removal proposed by the next leader before its first entry commits. With n1..n4 voters and n5 joining:
 * <ol>
 *   <li>n1 leads, adds n5 as a learner, then appends its promotion (C1: five voters), which reaches n5 only;</li>
 *   <li>n1 crashes and n5 is cut off; n2 is elected by n3 and n4, which gets no entries from n2, and proposes
 *       removing n4 (C2: n1, n2, n3);</li>
 *   <li>n1 comes back with n4 and n5 only.</li>
 * </ol>
 * Without the rule n2 commits its no-op and C2 with n3 (a majority of C2), n1 wins with n4 and n5 (a majority of C1)
 * and commits C1 where n2 committed its no-op: the checker reports two different entries applied at one index.
 * With the rule n2 must first commit its no-op in C0, which needs n4: n4 then holds an entry of n2's term and
 * never votes for n1.
 */
class SingleServerChangeBugScenarioTest {

    private static final long BOUND_MS = 20_000;

    @Test
    void withoutTheRuleTheCheckerCatchesTwoCommittedEntriesAtOneIndex() {
        InvariantViolation v = assertThrows(InvariantViolation.class, () -> replay(true));
        System.out.println("without the rule: " + v.getMessage().lines().findFirst().orElse(""));
        assertTrue(v.getMessage().contains("State Machine Safety") || v.getMessage().contains("Leader Completeness")
                || v.getMessage().contains("Log Matching"), v.getMessage());
    }

    @Test
    void withTheRuleNothingCommittedIsLost() {
        replay(false);
    }

    private static void replay(boolean unsafe) {
        RaftConfig config = RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(50).preVote(false)
                .checkQuorum(false).maxLearnerLagEntries(1_000).build();
        Simulation sim = Simulation.builder(7).nodeIds(List.of("n1", "n2", "n3", "n4")).config(config)
                .unsafeSkipTermCommitRule(unsafe).traceSize(200).build();
        lead(sim, "n1");
        sim.addNode("n5");
        commit(sim, sim.changeMembership("n1", new MembershipChange(ADD_LEARNER, "n5")));
        sim.runFor(200); // every node learns that it committed

        sim.partition(List.of("n1", "n5"));
        sim.changeMembership("n1", new MembershipChange(PROMOTE, "n5")); // C1 reaches n5 only
        sim.runUntil(() -> sim.membership("n5").orElseThrow().voters().size() == 5, BOUND_MS);
        assertEquals(5, sim.membership("n5").orElseThrow().voters().size());

        sim.crash("n1");
        sim.heal();
        sim.isolate("n5");
        sim.blockAppendsTo("n4", true);
        lead(sim, "n2");
        long remove = -1;
        if (unsafe) {
            remove = sim.changeMembership("n2", new MembershipChange(REMOVE, "n4"));
        } else {
            long refused = sim.changeMembership("n2", new MembershipChange(REMOVE, "n4"));
            assertEquals(ProposalOutcome.Status.FAILED, sim.outcome(refused).status(),
                    "refused before n2 committed an entry of its term");
            sim.blockAppendsTo("n4", false); // with n4, n2's no-op commits: n4 holds an entry of n2's term
            sim.runUntil(() -> sim.status("n2").map(s -> s.commitIndex() == s.lastLogIndex()).orElse(false),
                    BOUND_MS);
            remove = sim.changeMembership("n2", new MembershipChange(REMOVE, "n4"));
        }
        commit(sim, remove);

        sim.heal();
        sim.blockAppendsTo("n4", false);
        sim.restart("n1");
        sim.partition(List.of("n1", "n4", "n5"));
        sim.runFor(5_000); // n1 campaigns in C1 with n4 and n5
    }

    /** Runs until {@code id} leads, handing leadership to it as needed. */
    private static void lead(Simulation sim, String id) {
        long deadline = sim.now() + BOUND_MS;
        while (sim.now() < deadline) {
            Optional<String> leader = sim.leader();
            if (leader.isPresent() && leader.get().equals(id)) {
                return;
            }
            leader.ifPresent(l -> sim.transferLeadership(id));
            sim.runFor(50);
        }
        throw new AssertionError(id + " did not come to lead");
    }

    private static void commit(Simulation sim, long proposal) {
        assertTrue(sim.runUntil(() -> sim.outcome(proposal).status() != ProposalOutcome.Status.PENDING, BOUND_MS));
        assertEquals(ProposalOutcome.Status.COMMITTED, sim.outcome(proposal).status(), "" + sim.outcome(proposal));
    }
}
