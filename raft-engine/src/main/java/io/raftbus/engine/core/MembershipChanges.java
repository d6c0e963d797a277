package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.InvalidMembershipChangeException;
import io.raftbus.engine.MembershipChangeRefusedException;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A leader's single-server membership changes (thesis §4.1): each is one {@link EntryType#CONFIG} entry, in force
 * once appended, and at most one is uncommitted at a time. A leader proposes one only after it has committed an
 * entry of its own term: without that rule a leader elected in an older configuration can commit a change that a
 * leader of a configuration appended but never committed in an earlier term then overwrites (Ongaro, raft-dev,
 * 2015; {@code MembershipChangeRulesTest} replays it). A learner is promoted only within
 * {@link io.raftbus.engine.RaftConfig#maxLearnerLagEntries()} of the leader's last index; an addMember adds the
 * learner and promotes it once it gets there, and completes when the promotion commits.
 */
final class MembershipChanges {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipChanges.class);

    private final CoreParts parts;
    private final PendingProposals pending;
    /** Tests only: proposes changes before this leader committed an entry of its term (the known bug). */
    boolean unsafeSkipTermCommitRule;

    MembershipChanges(CoreParts parts, PendingProposals pending) {
        this.parts = parts;
        this.pending = pending;
    }

    /**
     * Appends the CONFIG entry of {@code change} on {@code leader}; proposal {@code proposalId} completes when it
     * commits (for an addMember, when the promotion that follows commits).
     *
     * @throws MembershipChangeRefusedException not now: a change in progress, no entry of this term committed yet,
     *                                          or the learner to promote is behind
     * @throws InvalidMembershipChangeException never as asked
     */
    void propose(long proposalId, MembershipChange change, Leader leader, long now) {
        leader.refuseWhileTransferring();
        CommitTracker commits = parts.commits();
        LeaderState state = leader.state();
        if (!unsafeSkipTermCommitRule && commits.commitIndex() < state.termFirstIndex()) {
            throw new MembershipChangeRefusedException("leader " + parts.nodeId() + " has not yet committed an entry"
                    + " of its term " + parts.currentTerm() + "; retry shortly");
        }
        if (parts.configs().latestIndex() > commits.commitIndex() || state.promotion() != null) {
            throw new MembershipChangeRefusedException("another membership change is in progress on leader "
                    + parts.nodeId() + (state.promotion() != null ? " (adding " + state.promotion().learner() + ")"
                    : " (its entry at " + parts.configs().latestIndex() + " is not committed yet)") + "; retry later");
        }
        Membership current = parts.configs().latest();
        String id = change.nodeId();
        Set<String> voters = new HashSet<>(current.voters());
        Set<String> learners = new HashSet<>(current.learners());
        switch (change.kind()) {
            case ADD_LEARNER, ADD_MEMBER -> {
                if (voters.contains(id) || learners.contains(id)) {
                    throw new InvalidMembershipChangeException(id + " is a member already: " + current);
                }
                learners.add(id);
            }
            case PROMOTE -> {
                if (!learners.contains(id)) {
                    throw new InvalidMembershipChangeException(id + " is not a learner: " + current);
                }
                requireCaughtUp(leader, id);
                learners.remove(id);
                voters.add(id);
            }
            case REMOVE -> {
                if (!voters.contains(id) && !learners.contains(id)) {
                    throw new InvalidMembershipChangeException(id + " is not a member: " + current);
                }
                if (voters.size() == 1 && voters.contains(id)) {
                    throw new InvalidMembershipChangeException("cannot remove " + id + ", the last voter");
                }
                voters.remove(id);
                learners.remove(id);
            }
        }
        append(new Membership(voters, learners), leader, now, index -> {
            if (change.kind() == MembershipChange.Kind.ADD_MEMBER) {
                state.setPromotion(new LeaderState.Promotion(id, proposalId));
            } else {
                pending.add(index, new Waiter.Local(proposalId), parts.currentTerm());
            }
        });
    }

    /**
     * An addMember's learner caught up and its learner entry committed: appends its promotion, on which the
     * proposal now waits. Nothing if there is none, or it cannot be done yet.
     */
    void maybePromote(Leader leader, long now) {
        LeaderState.Promotion promotion = leader.state().promotion();
        if (promotion == null || leader.state().transferring()
                || parts.configs().latestIndex() > parts.commits().commitIndex()
                || !leader.caughtUp(promotion.learner(), parts.config().maxLearnerLagEntries())) {
            return;
        }
        Membership current = parts.configs().latest();
        if (!current.learners().contains(promotion.learner())) {
            leader.state().setPromotion(null);
            return; // no longer a learner: removed meanwhile (not possible while the promotion is pending)
        }
        Set<String> voters = new HashSet<>(current.voters());
        Set<String> learners = new HashSet<>(current.learners());
        learners.remove(promotion.learner());
        voters.add(promotion.learner());
        append(new Membership(voters, learners), leader, now, index -> { // a failed append is tried again later
            leader.state().setPromotion(null);
            pending.add(index, new Waiter.Local(promotion.proposalId()), parts.currentTerm());
            parts.outcomes().learnerAdded(promotion.proposalId());
        });
    }

    /** A leader with an addMember waiting steps down: the learner may have been added, and may yet be promoted. */
    void leadershipLost(LeaderState former, String why) {
        LeaderState.Promotion promotion = former.promotion();
        if (promotion != null) {
            parts.outcomes().fail(promotion.proposalId(), new CommandOutcomeUnknownException("adding "
                    + promotion.learner() + " did not complete: " + why + "; it may have been added as a learner"));
        }
    }

    private void requireCaughtUp(Leader leader, String learner) {
        long maxLag = parts.config().maxLearnerLagEntries();
        if (!leader.caughtUp(learner, maxLag)) {
            throw new MembershipChangeRefusedException("learner " + learner + " has acknowledged no entry of leader "
                    + parts.nodeId() + " yet, or is more than " + maxLag
                    + " entries (maxLearnerLagEntries) behind leader " + parts.nodeId() + "'s last index "
                    + parts.log().lastIndex() + "; retry once it caught up");
        }
    }

    /**
     * Appends {@code next} as a CONFIG entry of this term, in force at once, hands its index to {@code appended} (which
     * records who waits for it), and replicates it. Once the append succeeded, the entry may commit whatever happens
     * next, so the waiter is recorded before anything else can fail; a log failure while sending it is logged, not
     * thrown (the caller would take it for a change not appended), and the next heartbeat sends it again.
     *
     * @throws LogException the append failed: nothing was appended
     */
    private void append(Membership next, Leader leader, long now, LongConsumer appended) {
        LogEntry entry = new LogEntry(parts.log().lastIndex() + 1, parts.currentTerm(), EntryType.CONFIG,
                MembershipCodec.encode(next));
        parts.log().append(List.of(entry));
        appended.accept(entry.index());
        LOG.info("{}: configuration {} appended at {} in term {}", parts.nodeId(), next, entry.index(),
                parts.currentTerm());
        try {
            leader.syncFollowers(now);
            leader.replicateAppended(now);
        } catch (LogException e) {
            LOG.warn("{}: the configuration appended at {} is not sent yet ({}); the next heartbeat sends it",
                    parts.nodeId(), entry.index(), e.getMessage());
        }
    }
}
