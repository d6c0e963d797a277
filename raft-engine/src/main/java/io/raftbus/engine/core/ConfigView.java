package io.raftbus.engine.core;

import io.raftbus.engine.spi.Membership;

import java.util.List;
import java.util.TreeSet;

/**
 * One configuration as seen by one node: who votes, who else receives the log, whether this node votes, and the
 * majority arithmetic over the voters. Immutable; {@link Configurations} makes one per configuration.
 */
final class ConfigView {

    private final Membership membership;
    private final boolean selfVoter;
    private final List<String> otherVoters;
    private final List<String> otherMembers;
    private final MajorityQuorum quorum;

    ConfigView(String nodeId, Membership membership) {
        this.membership = membership;
        this.selfVoter = membership.voters().contains(nodeId);
        this.otherVoters = new TreeSet<>(membership.voters()).stream().filter(id -> !id.equals(nodeId)).toList();
        TreeSet<String> members = new TreeSet<>(membership.voters());
        members.addAll(membership.learners());
        members.remove(nodeId);
        this.otherMembers = List.copyOf(members);
        this.quorum = new MajorityQuorum(membership.voters().size());
    }

    Membership membership() {
        return membership;
    }

    /** Whether this node is a voter: only a voter campaigns, and a leader counts itself only if it is one. */
    boolean selfVoter() {
        return selfVoter;
    }

    /** The other voters, in id order: whom a campaign asks. */
    List<String> otherVoters() {
        return otherVoters;
    }

    /** The other voters and the learners, in id order: whom a leader replicates to. */
    List<String> otherMembers() {
        return otherMembers;
    }

    MajorityQuorum quorum() {
        return quorum;
    }

    boolean isVoter(String id) {
        return membership.voters().contains(id);
    }

    boolean isMember(String id) {
        return membership.voters().contains(id) || membership.learners().contains(id);
    }
}
