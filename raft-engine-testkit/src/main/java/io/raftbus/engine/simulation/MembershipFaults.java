package io.raftbus.engine.simulation;

import io.raftbus.engine.InvalidMembershipChangeException;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.core.MembershipChange;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Random membership changes for a {@link RandomFaultScenario} run, from a random stream of their own: fresh nodes
 * (new ids, empty logs) start in join mode and are added as learners or members, learners are promoted, and voters
 * (the leader too, and preferably a node that is down: a replacement) or learners are removed, each through the
 * leader's {@link io.raftbus.engine.core.RaftCore#changeMembership}, as {@code RaftNode} does. Node ids are never
 * reused. A node whose removal committed is stopped for good a little later; a fresh node whose addition certainly
 * failed is stopped at once. At most {@link #MAX_NODES} nodes are not stopped at once and the changes aim at 3 to 5
 * voters, so a majority of the configuration in force is often reachable and commits happen. Not thread-safe.
 */
final class MembershipFaults {

    /** At most this many nodes are running or crashed (not stopped for good) at once. */
    static final int MAX_NODES = 6;
    /** Default chance, in percent, per fault-phase action, of a membership action. */
    static final int CHANGE_PERCENT = 12;

    private final Simulation sim;
    private final SplittableRandom random;
    private final int changePercent;
    private int nextId;
    /** Proposals not settled yet, with the node they change. */
    private final Map<Long, MembershipChange> open = new LinkedHashMap<>();
    /** Nodes whose removal committed, with the virtual time they are stopped at. */
    private final Map<String, Long> retireAt = new LinkedHashMap<>();
    private long joined;
    private long proposed;
    private long completed;
    private long refused;
    private long invalid;
    private long unknown;
    private long retired;

    /** {@code changePercent}: the chance, per fault-phase action, of a membership action. */
    MembershipFaults(Simulation sim, SplittableRandom random, int changePercent) {
        this.sim = sim;
        this.random = random;
        this.changePercent = changePercent;
        this.nextId = sim.nodeIds().size();
    }

    /** One fault-phase action: settles what became of earlier changes, and sometimes proposes a new one. */
    void step() {
        settle();
        if (random.nextInt(100) < changePercent) {
            proposeOne();
        }
    }

    /** Settles the proposals whose outcome is known and stops the nodes due to stop. */
    void settle() {
        for (Iterator<Map.Entry<Long, MembershipChange>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, MembershipChange> e = it.next();
            ProposalOutcome outcome = sim.outcome(e.getKey());
            MembershipChange change = e.getValue();
            if (outcome.status() == ProposalOutcome.Status.PENDING) {
                continue;
            }
            it.remove();
            boolean addition = change.kind() == MembershipChange.Kind.ADD_LEARNER
                    || change.kind() == MembershipChange.Kind.ADD_MEMBER;
            if (outcome.status() == ProposalOutcome.Status.COMMITTED) {
                completed++;
                if (change.kind() == MembershipChange.Kind.REMOVE && !retireAt.containsKey(change.nodeId())) {
                    retireAt.put(change.nodeId(), sim.now() + random.nextLong(1_000));
                }
            } else if (outcome.failure() instanceof RetriableCommandException) {
                refused++;
                if (addition) {
                    // certainly never added: no configuration may name it
                    sim.retire(change.nodeId(), outcome.failure());
                    retired++;
                }
            } else if (outcome.failure() instanceof InvalidMembershipChangeException) {
                invalid++;
            } else {
                unknown++; // outcome unknown, node closed: it may yet take effect
            }
        }
        for (Iterator<Map.Entry<String, Long>> it = retireAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() <= sim.now()) {
                it.remove();
                if (!sim.isRetired(e.getKey())) {
                    sim.retire(e.getKey(), null);
                    retired++;
                }
            }
        }
    }

    /** What the membership changes did so far. */
    MembershipStats stats() {
        return new MembershipStats(joined, proposed, completed, refused, invalid, unknown,
                sim.committedMembershipChanges(), retired);
    }

    private void proposeOne() {
        Optional<String> leader = sim.leader();
        List<String> active = sim.activeNodeIds();
        String to = leader.orElse(active.get(random.nextInt(active.size())));
        if (!sim.isUp(to)) {
            return;
        }
        Membership current = sim.membership(to).orElseThrow();
        int voters = current.voters().size();
        int action = random.nextInt(100);
        // aim at 3 to 5 voters: grow when below, shrink when above
        int addWeight = voters < 3 ? 70 : voters >= 5 ? 15 : 35;
        int promoteWeight = current.learners().isEmpty() ? 0 : 25;
        if (action < addWeight) {
            add(to);
        } else if (action < addWeight + promoteWeight) {
            List<String> learners = new ArrayList<>(new TreeSet<>(current.learners()));
            propose(to, new MembershipChange(MembershipChange.Kind.PROMOTE,
                    learners.get(random.nextInt(learners.size()))));
        } else {
            propose(to, new MembershipChange(MembershipChange.Kind.REMOVE, removalTarget(current, to)));
        }
    }

    /** A fresh node joins and is proposed as a learner or as a member, if there is room for it. */
    private void add(String to) {
        if (sim.activeNodeIds().size() >= MAX_NODES) {
            return;
        }
        String id = "n" + (++nextId);
        sim.addNode(id);
        joined++;
        MembershipChange.Kind kind = random.nextBoolean() ? MembershipChange.Kind.ADD_MEMBER
                : MembershipChange.Kind.ADD_LEARNER;
        propose(to, new MembershipChange(kind, id));
    }

    /** A node that is down (replacing it) half the time if there is one, else any member, the leader included. */
    private String removalTarget(Membership current, String leader) {
        List<String> members = new ArrayList<>(new TreeSet<>(current.voters()));
        members.addAll(new TreeSet<>(current.learners()));
        List<String> down = new ArrayList<>();
        for (String id : members) {
            if (!sim.isUp(id)) {
                down.add(id);
            }
        }
        if (!down.isEmpty() && random.nextBoolean()) {
            return down.get(random.nextInt(down.size()));
        }
        if (random.nextInt(4) == 0) {
            return leader;
        }
        return members.get(random.nextInt(members.size()));
    }

    private void propose(String to, MembershipChange change) {
        proposed++;
        open.put(sim.changeMembership(to, change), change);
    }
}
