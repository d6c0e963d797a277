package io.raftbus.engine.core;

import java.util.HashSet;
import java.util.Set;

/**
 * One campaign of this node: a pre-campaign (PreVote, thesis §9.6) or an election campaign. It counts the voters
 * that granted it (this node first) and, for a pre-campaign, holds the pre-campaign number that grants must echo.
 * {@link RaftCore} creates one per campaign and drops it when the node becomes leader or follower.
 */
final class CandidateState {

    private final long preCampaignNumber;
    private final Set<String> grants = new HashSet<>();

    private CandidateState(String self, boolean selfVotes, long preCampaignNumber) {
        this.preCampaignNumber = preCampaignNumber;
        if (selfVotes) {
            grants.add(self);
        }
    }

    /**
     * A pre-campaign numbered {@code preCampaignNumber} (never 0), granted by {@code self} so far if it is a voter
     * of the configuration in force ({@code selfVotes}; else by nobody yet).
     */
    static CandidateState preCampaign(String self, boolean selfVotes, long preCampaignNumber) {
        return new CandidateState(self, selfVotes, preCampaignNumber);
    }

    /**
     * An election campaign in a new term, granted by {@code self} (its own durable vote) so far if it is a voter of
     * the configuration in force ({@code selfVotes}: a node whose removal is not committed yet campaigns without
     * counting itself).
     */
    static CandidateState campaign(String self, boolean selfVotes) {
        return new CandidateState(self, selfVotes, 0);
    }

    /**
     * The number of the pre-campaign, drawn at random: only grants echoing it count, so a late grant of an earlier
     * pre-campaign never does. 0 for an election campaign.
     */
    long preCampaignNumber() {
        return preCampaignNumber;
    }

    /**
     * Whether a pre-vote grant echoing {@code echoed} answers this pre-campaign. 0 comes from a peer too old to echo
     * (envelope version 3 or earlier): it counts, to keep mixed-version clusters live, at the cost that a late grant
     * of such a peer may count toward a later pre-campaign, as before the echo existed.
     */
    boolean answersThisPreCampaign(long echoed) {
        return echoed == preCampaignNumber || echoed == 0;
    }

    /** Records a grant from {@code voter} (again: no change); returns how many voters have granted. */
    int grant(String voter) {
        grants.add(voter);
        return grants.size();
    }

    /** How many voters have granted, this node included if it votes. */
    int grantCount() {
        return grants.size();
    }
}
