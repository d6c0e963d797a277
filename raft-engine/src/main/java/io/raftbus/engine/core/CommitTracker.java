package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.LogEntry;

import java.util.List;
import java.util.Map;

/**
 * The commit index, and the committed entries handed out for applying. {@code lastApplied} is the last index handed
 * out through {@link RaftCore#ready()}: the runtime applies what it is handed before asking again, so it is the
 * state machine's last applied index as far as the core can know (and is reported as such in the status).
 *
 * <p>Handing an entry out settles the proposals waiting for its index: those that wanted this entry (same term) ride
 * along with it as its waiters, the others fail as not committed. An entry of term t committed at index j rules out
 * every entry of a lower term above j (the committed log is one log, and terms never decrease along a log), so
 * proposals waiting for such an entry fail as soon as it is handed out, rather than when (if ever) their index
 * commits.
 */
final class CommitTracker {

    private final RaftConfig config;
    private final LogView log;
    private final PendingProposals pending;
    /** The waiters of the entry being handed out: reused, so a hand-out allocates no list per entry. */
    private final PendingProposals.Taken taken = new PendingProposals.Taken();
    private final ProposalOutcomes outcomes;
    private final Outbox outbox;
    private final Messages messages;
    private long commitIndex;
    private long lastApplied;
    /** Term of the entry at {@link #lastApplied}. */
    private long lastAppliedTerm;

    /** Entries up to {@code lastApplied} are committed and applied already. */
    CommitTracker(RaftConfig config, LogView log, PendingProposals pending, ProposalOutcomes outcomes, Outbox outbox,
                  Messages messages, long lastApplied) {
        this.config = config;
        this.log = log;
        this.pending = pending;
        this.outcomes = outcomes;
        this.outbox = outbox;
        this.messages = messages;
        this.commitIndex = lastApplied;
        this.lastApplied = lastApplied;
        this.lastAppliedTerm = log.termAt(lastApplied); // the cached term if lastApplied is the last index
    }

    long commitIndex() {
        return commitIndex;
    }

    /** The last index handed out for applying. */
    long lastApplied() {
        return lastApplied;
    }

    /** The term of the entry at {@link #lastApplied()}. */
    long lastAppliedTerm() {
        return lastAppliedTerm;
    }

    /** Raises the commit index to {@code index} if that is higher; returns whether it moved. */
    boolean advanceTo(long index) {
        if (index <= commitIndex) {
            return false;
        }
        commitIndex = index;
        return true;
    }

    /**
     * A snapshot installed from the leader covers everything up to {@code index} (of {@code term}), beyond what was
     * committed here: the commit index and the last index handed out jump to it (the host restores the snapshot
     * instead of applying those entries). Every proposal waiting for an index it covers is settled as outcome
     * unknown: whether its entry is in the snapshot cannot be told from here; one waiting after it for an earlier
     * term than the snapshot's did not commit (told so, naming {@code leaderHint}). Returns how many were covered.
     */
    int jumpTo(long index, long term, String leaderHint) {
        commitIndex = Math.max(commitIndex, index);
        lastApplied = index;
        List<PendingProposals.Pending> covered = pending.removeThrough(index);
        for (PendingProposals.Pending p : covered) {
            if (p.waiter() instanceof Waiter.Local local) {
                outcomes.fail(local.proposalId(), new CommandOutcomeUnknownException("a snapshot installed from the"
                        + " leader covers index " + index + " and replaced the log up to it, so whether the command"
                        + " waiting there for term " + p.term() + " was applied cannot be told; it may have been"));
            }
            // an external client's wait ends unanswered: its own deadline tells it the outcome is unknown
        }
        if (term > lastAppliedTerm) {
            // as in handOut: an entry of this term is committed at index, so no entry of an earlier term will ever be
            // committed after it; without this, waiters there would wait until their deadline
            lastAppliedTerm = term;
            for (Map.Entry<Long, PendingProposals.Pending> e : pending.removeFrom(index + 1, (i, t) -> t >= term)) {
                failNotCommitted(e.getKey(), e.getValue().waiter(), e.getValue().term(), leaderHint);
            }
        }
        return covered.size();
    }

    /** Whether committed entries remain that have not been handed out yet. */
    boolean hasToHandOut() {
        return lastApplied < commitIndex;
    }

    /**
     * The next committed entries, with the waiters they settle: one log read, bounded by
     * {@link RaftConfig#maxBytesPerAppend()}, so a large backlog (a restart replaying the log into an in-memory state
     * machine) is handed out over several calls. If the log throws, nothing is marked handed out. Waiters of a
     * member's or client's command that did not commit are told so, naming {@code leaderHint}.
     */
    CommittedEntries handOut(String leaderHint) {
        if (lastApplied >= commitIndex) {
            return CommittedEntries.NONE;
        }
        long from = lastApplied + 1;
        List<LogEntry> entries = log.read(from, commitIndex + 1, config.maxBytesPerAppend());
        if (entries.isEmpty() || entries.get(0).index() != from || entries.size() > commitIndex - lastApplied) {
            throw new IllegalStateException("log " + log.logName() + " returned " + entries.size()
                    + " entries for a read of [" + from + ", " + (commitIndex + 1) + "); the LogAPI contract"
                    + " requires at least one and none past the range, starting at the requested index");
        }
        CommittedEntries out = new CommittedEntries(entries);
        if (pending.size() > 0) {
            for (int n = 0; n < entries.size(); n++) {
                LogEntry e = entries.get(n);
                pending.take(e.index(), taken);
                for (int i = 0; i < taken.size(); i++) {
                    if (taken.term(i) == e.term()) {
                        out.addWaiter(n, taken.waiter(i));
                    } else {
                        failNotCommitted(e.index(), taken.waiter(i), taken.term(i), leaderHint);
                    }
                }
            }
            taken.clear();
        }
        lastApplied = out.last().index();
        long newestTerm = out.last().term();
        if (newestTerm > lastAppliedTerm) {
            lastAppliedTerm = newestTerm;
            for (Map.Entry<Long, PendingProposals.Pending> e : pending.removeFrom(lastApplied + 1,
                    (index, term) -> term >= newestTerm)) {
                failNotCommitted(e.getKey(), e.getValue().waiter(), e.getValue().term(), leaderHint);
            }
        }
        return out;
    }

    private void failNotCommitted(long index, Waiter waiter, long term, String leaderHint) {
        if (waiter instanceof Waiter.Local local) {
            outcomes.fail(local.proposalId(), Forwarding.notCommitted(index, term));
        } else if (waiter instanceof Waiter.Remote remote) {
            outbox.send(messages.commandNotCommitted(remote.clientId(), remote.requestId(), index, term,
                    leaderHint, CommandRejections.NOT_COMMITTED));
        }
    }
}
