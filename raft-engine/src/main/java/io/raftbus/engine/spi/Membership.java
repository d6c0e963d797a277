package io.raftbus.engine.spi;

import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's configuration: voting members, and learners (non-voting members that receive the log).
 *
 * @param voters ids of the voting members
 * @param learners ids of non-voting members that receive the log
 */
public record Membership(Set<String> voters, Set<String> learners) {

    public Membership {
        voters = Set.copyOf(voters);
        learners = Set.copyOf(learners);
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one voter");
        }
        for (String l : learners) {
            if (voters.contains(l)) {
                throw new IllegalArgumentException(l + " cannot be both voter and learner");
            }
        }
    }

    /** A configuration with the given voters and no learners. */
    public static Membership ofVoters(Set<String> voters) {
        return new Membership(voters, Set.of());
    }

    /** Number of voters that make a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    @Override
    public String toString() {
        return "Membership[voters=" + new TreeSet<>(voters) + ", learners=" + new TreeSet<>(learners) + "]";
    }
}
