package io.raftbus.engine.simulation;

import io.raftbus.engine.Role;
import io.raftbus.engine.spi.Membership;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the safety rules of single-server membership changes (thesis §4.1) as the simulation observes applies, log
 * contents and role changes; the general invariants ({@link InvariantChecker}) hold across configurations as well:
 * <ul>
 *   <li>Single-server rule: each committed configuration differs from the previous committed one by exactly one
 *       server (added as a learner, promoted, or removed), and every node applying a CONFIG entry applies the same
 *       configuration at its index.</li>
 *   <li>One change in flight: a leader's log never holds two CONFIG entries above the commit point (the highest index
 *       applied anywhere, or the leader's own commit index if higher).</li>
 *   <li>Only voters campaign: a node becomes pre-candidate, candidate or leader only as a voter of the configuration
 *       in force on it, or as a former voter that has not learned its removal committed (it may still be needed to
 *       elect a leader). A joining node never campaigns, nor does a node that
 *       knows its removal committed. (A leader removed by an entry it appended leads on until that entry commits,
 *       thesis §4.2.2, so this is checked when it takes the role, not while it holds it.)</li>
 *   <li>A node whose addition certainly failed (a {@link io.raftbus.engine.RetriableCommandException}) and that was
 *       never proposed again is in no committed configuration.</li>
 * </ul>
 * Violations are thrown as {@link IllegalStateException}; the simulation adds seed and trace.
 */
final class MembershipChecker {

    /** Committed configurations by the index of their CONFIG entry; index 0 holds the start membership. */
    private final TreeMap<Long, Membership> committed = new TreeMap<>();
    private final Set<String> neverAdded = new HashSet<>();

    MembershipChecker(Membership start) {
        committed.put(0L, start);
    }

    /** A node applied the CONFIG entry at {@code index} holding {@code membership}. */
    void onCommittedConfig(String node, long index, Membership membership) {
        Membership seen = committed.get(index);
        if (seen != null) {
            if (!seen.equals(membership)) {
                throw new IllegalStateException("Configurations: " + node + " applied " + membership + " at index "
                        + index + ", where " + seen + " was applied before");
            }
            return;
        }
        Map.Entry<Long, Membership> previous = committed.lowerEntry(index);
        if (committed.lastKey() > index) {
            throw new IllegalStateException("Configurations: " + node + " applied a CONFIG entry at index " + index
                    + " below the latest committed one at " + committed.lastKey() + ", where none was applied before");
        }
        Set<String> changed = changedServers(previous.getValue(), membership);
        if (changed.size() != 1) {
            throw new IllegalStateException("Single-server rule: the configuration committed at index " + index
                    + ", " + membership + ", differs from the previous committed one (index " + previous.getKey()
                    + "), " + previous.getValue() + ", in " + changed.size() + " servers: " + changed);
        }
        for (String id : changed) {
            if (neverAdded.contains(id) && (membership.voters().contains(id) || membership.learners().contains(id))) {
                throw new IllegalStateException("Configurations: " + id + " is a member of the configuration committed"
                        + " at index " + index + ", although its addition failed as certainly not applied");
            }
        }
        committed.put(index, membership);
    }

    /** {@code id} was added by one proposal only, which failed as certainly not applied. */
    void neverAdded(String id) {
        neverAdded.add(id);
    }

    /** A leader's log, after a step: at most one CONFIG entry above {@code commitPoint}. */
    void checkOneChangeInFlight(String node, InvariantChecker.NodeLog log, long commitPoint) {
        int uncommitted = log.configEntriesAbove(commitPoint);
        if (uncommitted > 1) {
            throw new IllegalStateException("One change at a time: leader " + node + "'s log holds " + uncommitted
                    + " CONFIG entries above the commit point " + commitPoint);
        }
    }

    /**
     * A node's role changed from {@code from} to {@code to} while {@code inForce} is its configuration in force and
     * {@code commitIndex} its commit index.
     */
    void onRole(String node, Role from, Role to, Membership inForce, long commitIndex) {
        boolean campaigns = to == Role.PRE_CANDIDATE || to == Role.CANDIDATE;
        boolean elected = to == Role.LEADER && from != Role.LEADER;
        if (!(campaigns || elected) || inForce.voters().contains(node)) {
            return;
        }
        boolean wasVoter = false;
        long removedAt = Long.MAX_VALUE;
        for (Map.Entry<Long, Membership> e : committed.entrySet()) {
            if (e.getValue().voters().contains(node)) {
                wasVoter = true;
            } else if (wasVoter) {
                removedAt = e.getKey();
                break;
            }
        }
        if (!wasVoter || removedAt <= commitIndex) {
            throw new IllegalStateException("Only voters campaign: " + node + " became " + to + " (was " + from
                    + ") but is not a voter of its configuration in force, " + inForce + ", and "
                    + (wasVoter ? "knows its removal at index " + removedAt + " committed (its commit index is "
                    + commitIndex + ")" : "was a voter of no committed configuration"));
        }
    }

    /** The latest committed configuration. */
    Membership latestCommitted() {
        return committed.lastEntry().getValue();
    }

    /** The membership committed at {@code index}, or null if no CONFIG entry was applied there. */
    Membership committedAt(long index) {
        return committed.get(index);
    }

    /** How many configurations were committed after the start membership. */
    int committedChanges() {
        return committed.size() - 1;
    }

    /** The servers whose role (voter, learner or none) differs between {@code a} and {@code b}. */
    static Set<String> changedServers(Membership a, Membership b) {
        Set<String> all = new HashSet<>(a.voters());
        all.addAll(a.learners());
        all.addAll(b.voters());
        all.addAll(b.learners());
        Set<String> changed = new HashSet<>();
        for (String id : all) {
            if (a.voters().contains(id) != b.voters().contains(id)
                    || a.learners().contains(id) != b.learners().contains(id)) {
                changed.add(id);
            }
        }
        return changed;
    }
}
