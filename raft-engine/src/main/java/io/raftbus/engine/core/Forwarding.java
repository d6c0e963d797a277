package io.raftbus.engine.core;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.message.CommandResponse;


/**
 * A non-leader's local proposals sent on to the leader as CommandRequests (commands and reads), each awaiting the
 * leader's CommandResponse until {@link RaftConfig#forwardTimeoutMs()}. An answer becomes the proposal's outcome: a
 * command ACCEPTED at (index, term) waits in {@link PendingProposals} for that index to commit (or is settled at once
 * if this node handed that index out already); a refusal or silence fails it, as retriable only when the command
 * was certainly not applied. A read is answered with its result, or fails as not served.
 */
final class Forwarding {

    private final String nodeId;
    private final RaftConfig config;
    private final Messages messages;
    private final Outbox outbox;
    private final ProposalOutcomes outcomes;
    private final PendingProposals pending;
    private final LogView log;
    private final ProposalDeadlines awaiting = new ProposalDeadlines();

    Forwarding(String nodeId, RaftConfig config, Messages messages, Outbox outbox, ProposalOutcomes outcomes,
               PendingProposals pending, LogView log) {
        this.nodeId = nodeId;
        this.config = config;
        this.messages = messages;
        this.outbox = outbox;
        this.outcomes = outcomes;
        this.pending = pending;
        this.log = log;
    }

    /**
     * Sends local proposal {@code proposalId} (a command, or a read if {@code read}) to {@code leaderId}.
     *
     * @throws NotLeaderException forwarding is off, or no leader is known
     * @throws BackpressureException {@link RaftConfig#maxPendingCommands()} forwards await an answer already
     */
    void forward(long proposalId, byte[] bytes, boolean read, String leaderId, long now) {
        if (!config.forwardToLeader() || leaderId == null) {
            throw new NotLeaderException(nodeId, leaderId);
        }
        if (awaiting.size() >= config.maxPendingCommands()) {
            throw new BackpressureException(awaiting.size() + " forwarded commands await the leader's answer"
                    + " (maxPendingCommands " + config.maxPendingCommands() + "); retry later");
        }
        outbox.send(messages.forwardedProposal(leaderId, proposalId, bytes, read));
        awaiting.add(proposalId, now + config.forwardTimeoutMs(), read);
    }

    /**
     * The leader's answer to a forward. {@code lastApplied} is the last index handed out here and
     * {@code lastAppliedTerm} its term.
     */
    void onResponse(CommandResponse r, long lastApplied, long lastAppliedTerm) {
        long proposalId = r.requestId();
        if (!awaiting.contains(proposalId)) {
            return; // a duplicate, or already failed by its deadline
        }
        if (awaiting.isRead(proposalId)) {
            awaiting.settle(proposalId);
            onReadResponse(proposalId, r);
            return;
        }
        // read from the log before forgetting the forward: if the read throws, the answer is as if lost
        long termAtIndex = r.status() == CommandResponse.Status.ACCEPTED && r.index() <= lastApplied
                ? log.termIfKnown(r.index()) : -1;
        awaiting.settle(proposalId);
        switch (r.status()) {
            case ACCEPTED -> {
                if (r.index() <= lastApplied) {
                    if (termAtIndex < 0) { // compacted into a snapshot: which entry is there cannot be told
                        outcomes.fail(proposalId, new CommandOutcomeUnknownException("leader " + r.from()
                                + " appended the command at index " + r.index() + ", which this node has applied"
                                + " and compacted into a snapshot since; whether it was applied cannot be told"));
                    } else if (termAtIndex == r.entryTerm()) {
                        outcomes.lateAcceptance(new LateAcceptance(proposalId, r.index()));
                    } else {
                        outcomes.fail(proposalId, notCommitted(r.index(), r.entryTerm()));
                    }
                } else if (r.entryTerm() < lastAppliedTerm) {
                    // an entry of a later term is committed below it: it can never commit (see RaftCore's hand-out)
                    outcomes.fail(proposalId, notCommitted(r.index(), r.entryTerm()));
                } else {
                    pending.add(r.index(), new Waiter.Local(proposalId), r.entryTerm());
                }
            }
            case NOT_LEADER -> outcomes.fail(proposalId, new NotLeaderException(r.from(), r.leaderHint()));
            case REJECTED -> outcomes.fail(proposalId, CommandRejections.toException(r));
            case APPLIED -> outcomes.fail(proposalId, new CommandOutcomeUnknownException(
                    "leader " + r.from() + " answered a forwarded command as if from a client; outcome unknown"));
        }
    }

    private void onReadResponse(long proposalId, CommandResponse r) {
        switch (r.status()) {
            case APPLIED -> outcomes.readAnswered(new ReadAnswer(proposalId, r.index(), r.result()));
            case NOT_LEADER -> outcomes.fail(proposalId, new ReadNotServedException("leader "
                    + r.from() + " did not serve the read: " + (r.error() == null ? "not the leader" : r.error())
                    + "; reading again is safe"));
            case REJECTED -> outcomes.fail(proposalId, CommandRejections.toException(r));
            case ACCEPTED -> outcomes.fail(proposalId, new ReadNotServedException("leader "
                    + r.from() + " answered a read as if it were a command"));
        }
    }

    /** Fails the forwards without an answer within {@link RaftConfig#forwardTimeoutMs()}. */
    void expire(long now) {
        for (ProposalDeadlines.Expired expired : awaiting.expire(now)) {
            long proposalId = expired.proposalId();
            if (expired.read()) {
                outcomes.fail(proposalId, new ReadNotServedException("no answer from the leader"
                        + " to a forwarded read within " + config.forwardTimeoutMs() + " ms; reading again is safe"));
                continue;
            }
            outcomes.fail(proposalId, new CommandOutcomeUnknownException("no answer from the"
                    + " leader to forwarded command within " + config.forwardTimeoutMs() + " ms; it may or may not"
                    + " be applied"));
        }
    }

    /** The earliest deadline of a forward awaiting the leader's answer, or {@link Long#MAX_VALUE} if none. */
    long nextDeadline() {
        return awaiting.earliest();
    }

    /** Stops waiting for an answer to {@code proposalId} (its caller's deadline passed). */
    void forget(long proposalId) {
        awaiting.settle(proposalId);
    }

    /** The failure of a command whose entry at ({@code index}, {@code term}) was replaced: it will never apply. */
    static CommandNotCommittedException notCommitted(long index, long term) {
        return new CommandNotCommittedException("the command appended at index " + index + " in term " + term
                + " was replaced by another leader's entry and will never be applied; safe to retry");
    }
}
