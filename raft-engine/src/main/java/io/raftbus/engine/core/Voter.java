package io.raftbus.engine.core;

import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.VoteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node answering other nodes' campaigns, in any role. A vote (§5.2, §5.4.1) is granted to a candidate whose log
 * is at least as up to date as this one, once per term, and durably recorded before the answer is sent; granting it
 * restarts the election timeout. A pre-vote (thesis §9.6) is granted for a higher prospective term to an up-to-date
 * log unless a live leader is known, and changes nothing here.
 */
final class Voter {

    private static final Logger LOG = LoggerFactory.getLogger(Voter.class);

    private final CoreParts parts;
    private final ElectionTimer electionTimer;

    Voter(CoreParts parts, ElectionTimer electionTimer) {
        this.parts = parts;
        this.electionTimer = electionTimer;
    }

    /** Answers a pre-vote; {@code leaderLive}: this node leads, or heard from its leader recently. */
    void onPreVoteRequest(PreVoteRequest req, boolean leaderLive) {
        long term = parts.currentTerm();
        boolean grant = req.term() > term && !leaderLive && parts.log().isUpToDate(req.lastLogIndex(),
                req.lastLogTerm());
        LOG.debug("{}: pre-vote for {} in term {}: {}", parts.nodeId(), req.from(), req.term(),
                grant ? "granted" : "refused");
        parts.outbox().send(parts.messages().preVoteResponse(req.from(), grant ? req.term() : term, grant,
                req.preCampaignNumber()));
    }

    /** Answers a vote request of this term or an earlier one (the term rule already moved to a later one). */
    void onVoteRequest(VoteRequest req, long now) {
        TermAndVote termAndVote = parts.termAndVote();
        if (req.term() < termAndVote.term()) {
            parts.outbox().send(parts.messages().voteResponse(req.from(), false));
            return;
        }
        boolean grant = (termAndVote.votedFor() == null || termAndVote.votedFor().equals(req.from()))
                && parts.log().isUpToDate(req.lastLogIndex(), req.lastLogTerm());
        if (grant) {
            if (!req.from().equals(termAndVote.votedFor())) {
                termAndVote.save(termAndVote.term(), req.from());
            }
            electionTimer.reset(now);
        }
        LOG.debug("{}: vote for {} in term {}: {}", parts.nodeId(), req.from(), termAndVote.term(),
                grant ? "granted" : "refused");
        parts.outbox().send(parts.messages().voteResponse(req.from(), grant));
    }
}
