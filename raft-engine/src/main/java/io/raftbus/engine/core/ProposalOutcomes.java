package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.SnapshotInfo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcomes produced since the last {@link RaftCore#ready()} that are not committed entries (failures, late
 * acceptances, confirmed reads, forwarded reads' answers), and the deadline of every local proposal not settled yet.
 * Each local proposal gets one outcome: the first settles it, and once its deadline has passed any later outcome is
 * dropped.
 */
final class ProposalOutcomes {

    private final ProposalDeadlines deadlines = new ProposalDeadlines();
    private final List<ProposalFailure> failures = new ArrayList<>();
    private final List<LateAcceptance> lateAcceptances = new ArrayList<>();
    private final List<ReadyRead> readyReads = new ArrayList<>();
    private final List<ReadAnswer> readAnswers = new ArrayList<>();
    /** AddMember proposals whose learner was added, waiting for their promotion (see {@link #fail}). */
    private final Set<Long> learnerAdded = new HashSet<>();

    /** A local proposal (a command, or a read if {@code read}) whose caller waits until {@code deadline}. */
    void track(long proposalId, long deadline, boolean read) {
        deadlines.add(proposalId, deadline, read);
    }

    /**
     * The local proposal {@code proposalId} fails with {@code cause}. For an addMember whose learner was added
     * ({@link #learnerAdded}), a failure that says "certainly not applied" would be wrong: it fails as outcome unknown.
     */
    void fail(long proposalId, RaftException cause) {
        if (learnerAdded.remove(proposalId) && cause instanceof RetriableCommandException) {
            cause = new CommandOutcomeUnknownException("the node was added as a learner, but its promotion did not"
                    + " take effect: " + cause.getMessage() + "; look at the voters and learners before retrying",
                    cause);
        }
        failures.add(new ProposalFailure(proposalId, cause));
    }

    /** The addMember {@code proposalId} added its learner (committed) and now waits for the promotion. */
    void learnerAdded(long proposalId) {
        learnerAdded.add(proposalId);
    }

    void lateAcceptance(LateAcceptance acceptance) {
        lateAcceptances.add(acceptance);
    }

    /** A read confirmed by this leader, to be run by the runtime. */
    void readServed(ReadyRead read) {
        readyReads.add(read);
    }

    /** The leader's answer to a read forwarded from here. */
    void readAnswered(ReadAnswer answer) {
        readAnswers.add(answer);
    }

    /**
     * Settles the local proposals whose outcomes were produced since the last drain, dropping the outcomes of those
     * settled already (by their deadline). Removes the waiters of such proposals from {@code committed} and returns it.
     */
    CommittedEntries settle(CommittedEntries committed) {
        failures.removeIf(f -> !deadlines.settle(f.proposalId()));
        lateAcceptances.removeIf(l -> l.waiter() instanceof Waiter.Local local
                && !deadlines.settle(local.proposalId()));
        readyReads.removeIf(r -> r.waiter() instanceof Waiter.Local local && !deadlines.settle(local.proposalId()));
        readAnswers.removeIf(a -> !deadlines.settle(a.proposalId()));
        for (int i = 0; i < committed.size(); i++) {
            int w = 0;
            while (w < committed.waiterCount(i)) {
                if (committed.waiter(i, w) instanceof Waiter.Local local) {
                    if (!learnerAdded.isEmpty()) {
                        learnerAdded.remove(local.proposalId());
                    }
                    if (!deadlines.settle(local.proposalId())) { // settled already (by its deadline): dropped
                        committed.removeWaiter(i, w);
                        continue;
                    }
                }
                w++;
            }
        }
        return committed;
    }

    /** The earliest deadline of a local proposal still waiting, or {@link Long#MAX_VALUE} if none. */
    long nextDeadline() {
        return deadlines.earliest();
    }

    /** Removes and returns the local proposals whose deadline is at or before {@code now}: they are settled now. */
    List<ProposalDeadlines.Expired> expire(long now) {
        return deadlines.expire(now);
    }

    /** Whether no outcome is waiting to be handed out. */
    boolean isEmpty() {
        return failures.isEmpty() && lateAcceptances.isEmpty() && readyReads.isEmpty() && readAnswers.isEmpty();
    }

    /** A Ready with the outcomes collected so far, which are then forgotten, and the given snapshot effects. */
    Ready drainInto(List<RaftMessage> messages, CommittedEntries committed, boolean statusChanged,
                    SnapshotInfo snapshotToRestore, SnapshotRequest snapshotToTake) {
        Ready ready = new Ready(messages, committed, failures, lateAcceptances, statusChanged, readyReads,
                readAnswers, snapshotToRestore, snapshotToTake);
        // the Ready holds copies: the lists are reused
        failures.clear();
        lateAcceptances.clear();
        readyReads.clear();
        readAnswers.clear();
        return ready;
    }
}
