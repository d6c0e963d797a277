package io.raftbus.engine.core;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.LogEntries;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Commands coming in: CommandRequests from members (forwarded proposals) and external clients, in any role, and a
 * leader's local submits. A request answered before gets the same answer again whatever the role now (see
 * {@link RecentRequests}); a leader buffers new commands and appends them together in one LogAPI call (group commit,
 * {@link #flush}), then a member is told ACCEPTED at (index, term) and a client's or local proposal waits for its
 * index to commit. Reads from members and clients join the leader's ReadIndex queue. Every refusal says whether the
 * command was certainly not appended or its outcome is unknown ({@link CommandRejections}).
 */
final class CommandIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CommandIntake.class);

    /** How many recent (sender, request id) pairs are remembered to deduplicate CommandRequests. */
    static final int RECENT_REQUESTS_CAPACITY = 10_000;

    private final CoreParts parts;
    private final String nodeId;
    private final RaftConfig config;
    private final PendingProposals pending;
    /** Rewrites each command as it is appended (client sessions' log time); null: appended verbatim. */
    private CommandStamper stamper;
    /** Accepted since the last group commit; swapped with {@link #spare} by {@link #flush} (no copy per flush). */
    private BufferedCommands buffered = new BufferedCommands();
    private BufferedCommands spare = new BufferedCommands();
    private final Set<RecentRequests.Key> bufferedKeys = new HashSet<>();
    private final RecentRequests recentRequests = new RecentRequests(RECENT_REQUESTS_CAPACITY);
    /** The term this node may have led before it restarted, forgetting its answers (0: none); see {@link #onRequest}. */
    private long mayHaveLedBeforeRestart;

    CommandIntake(CoreParts parts, PendingProposals pending) {
        this.parts = parts;
        this.nodeId = parts.nodeId();
        this.config = parts.config();
        this.pending = pending;
    }

    /**
     * This node started in {@code term} having voted for itself: it may have led that term before it restarted, sent
     * a batch ahead of its own append and crashed, so its followers may hold commands it neither remembers nor holds;
     * or appended a member's command and crashed before answering ACCEPTED, so it holds one it does not remember.
     */
    void mayHaveLedBeforeRestart(long term) {
        this.mayHaveLedBeforeRestart = term;
    }

    /** Sets the hook that rewrites each command as this node, leading, appends it (null: verbatim). */
    void stamper(CommandStamper stamper) {
        this.stamper = stamper;
    }

    /**
     * A leader's local submit, buffered for the next group commit.
     *
     * @throws BackpressureException {@link RaftConfig#maxPendingCommands()} commands are accepted but not committed
     */
    void submitLocal(long proposalId, byte[] command) {
        checkBackpressure();
        buffered.addLocal(proposalId, command);
    }

    private void checkBackpressure() {
        long uncommitted = parts.log().lastIndex() - parts.commits().commitIndex() + buffered.size();
        if (uncommitted >= config.maxPendingCommands()) {
            throw new BackpressureException(uncommitted + " commands are accepted but not yet committed"
                    + " (maxPendingCommands " + config.maxPendingCommands() + "); retry later");
        }
    }

    /**
     * A CommandRequest. {@code leader} is this node's leader role, or null if it does not lead; {@code leaderId}
     * the leader it knows of (null: none), named in refusals.
     */
    void onRequest(CommandRequest req, Leader leader, String leaderId) {
        // a member of any configuration held since this node started: a removed node still forwards as a member
        // until it learns of its removal, and reads a refusal as certainly not applied, so its refusals are
        // remembered against network duplicates
        boolean fromMember = parts.configs().everMember(req.from());
        RecentRequests.Key key = new RecentRequests.Key(req.from(), req.requestId());
        if (!req.read()) { // reads change nothing: no dedup needed
            RecentRequests.Answer answered = recentRequests.get(key, req.command());
            if (answered != null) { // whatever the role now: a duplicate or a retry must not change the first answer
                answerAgain(req, fromMember, answered, leader, leaderId);
                return;
            }
        }
        if (fromMember && !req.read() && req.term() <= mayHaveLedBeforeRestart) {
            // sent to this node's previous life, which may have sent it to followers before a crash (a duplicate
            // arriving now): "not leader" would tell the member it was certainly not applied
            refuse(req, true, CommandResponse.Status.REJECTED, CommandRejections.OUTCOME_UNKNOWN + nodeId
                    + " restarted after it may have led term " + mayHaveLedBeforeRestart + " and does not remember the"
                    + " command; it may have been sent to followers before the restart", leader, leaderId);
            return;
        }
        if (leader == null) {
            refuse(req, fromMember, CommandResponse.Status.NOT_LEADER, null, leader, leaderId);
            return;
        }
        if (leader.state().transferring()) { // no leader to point to until the target wins
            refuse(req, fromMember, CommandResponse.Status.NOT_LEADER, "handing leadership to "
                    + leader.state().transferTarget(), leader, leaderId);
            return;
        }
        if (req.read()) {
            ReadIndexQueue reads = leader.state().reads();
            if (req.command() == null || reads.size() >= config.maxPendingCommands()) {
                replyRejected(req, req.command() == null ? "a read without a query"
                        : CommandRejections.BACKPRESSURE + reads.size() + " reads are waiting; retry later", leaderId);
                return;
            }
            reads.add(new Waiter.Remote(req.from(), req.requestId()), req.command());
            return;
        }
        if (bufferedKeys.contains(key)) {
            return; // a duplicate of a command waiting for the group commit
        }
        byte[] command = req.command();
        if (command == null || command.length > config.maxCommandBytes()) {
            replyRejected(req, CommandRejections.TOO_LARGE + "command of "
                    + (command == null ? "no" : command.length) + " bytes; maxCommandBytes is "
                    + config.maxCommandBytes(), leaderId);
            return;
        }
        try {
            checkBackpressure();
        } catch (BackpressureException e) {
            refuse(req, fromMember, CommandResponse.Status.REJECTED, CommandRejections.BACKPRESSURE + e.getMessage(),
                    leader, leaderId);
            return;
        }
        buffered.addRemote(fromMember, key, command);
        bufferedKeys.add(key);
    }

    /**
     * Refuses a command request (certainly not appended). A member's refusal is remembered: the member fails its
     * proposal as certainly not applied, so a network duplicate arriving later must be refused too, not appended.
     * (An external client may retry with the same request id on purpose, so its refusals are not remembered.)
     */
    private void refuse(CommandRequest req, boolean fromMember, CommandResponse.Status status, String error,
                        Leader leader, String leaderId) {
        if (fromMember && !req.read() && req.command() != null) {
            recentRequests.putRefused(new RecentRequests.Key(req.from(), req.requestId()), req.command(), status,
                    error);
        }
        boolean transferring = leader != null && leader.state().transferring();
        parts.outbox().send(parts.messages().commandRefused(req.from(), req.requestId(), status,
                transferring ? null : leaderId, error));
    }

    /**
     * A request answered before, whatever this node's role is now: a member gets the same answer (ACCEPTED with the
     * index and term it was appended at, or the same refusal); an external client retrying a command appended here
     * gets the command's outcome (see {@link #answerClientRetry}).
     */
    private void answerAgain(CommandRequest req, boolean fromMember, RecentRequests.Answer answered, Leader leader,
                             String leaderId) {
        if (!answered.appended()) {
            refuse(req, fromMember, answered.refusal(), answered.error(), leader, leaderId);
        } else if (fromMember) {
            parts.outbox().send(parts.messages().commandAccepted(req.from(), req.requestId(), answered.index(),
                    answered.term(), leaderId));
        } else {
            answerClientRetry(new Waiter.Remote(req.from(), req.requestId()), answered.index(), answered.term(),
                    leaderId);
        }
    }

    /**
     * An external client asks again for a command appended here at ({@code index}, {@code term}). Not handed out
     * yet: it is answered when its index commits (APPLIED, or REJECTED not committed), as the first copy would be.
     * Handed out already: the runtime answers with the recorded result ({@link LateAcceptance}) if the entry there
     * has that term, else it is REJECTED not committed.
     */
    private void answerClientRetry(Waiter.Remote client, long index, long term, String leaderId) {
        CommitTracker commits = parts.commits();
        if (index <= commits.lastApplied()) {
            long termThere = parts.log().termIfKnown(index); // if the log read throws, the retry is as if lost
            if (termThere < 0) {
                // compacted into a snapshot: which entry is there cannot be told, so there is no true answer to
                // give; the client's own deadline tells it the outcome is unknown
                return;
            }
            if (termThere == term) {
                parts.outcomes().lateAcceptance(new LateAcceptance(client, index));
            } else {
                parts.outbox().send(parts.messages().commandNotCommitted(client.clientId(), client.requestId(), index,
                        term, leaderId, CommandRejections.NOT_COMMITTED));
            }
        } else if (term < commits.lastAppliedTerm()) { // a later term's entry committed below it: it can never commit
            parts.outbox().send(parts.messages().commandNotCommitted(client.clientId(), client.requestId(), index,
                    term, leaderId, CommandRejections.NOT_COMMITTED));
        } else if (!pending.contains(index, client)) {
            pending.add(index, client, term);
        }
    }

    private void replyRejected(CommandRequest req, String error, String leaderId) {
        parts.outbox().send(parts.messages().commandRefused(req.from(), req.requestId(),
                CommandResponse.Status.REJECTED, leaderId, error));
    }

    /**
     * Group commit: appends every buffered command in one LogAPI call, then has {@code leader} replicate them. If
     * this node no longer leads ({@code leader} null), or the append fails, each command fails: as certainly not
     * appended, or, if the log failed permanently, as outcome unknown.
     *
     * <p>With an early-send sink ({@link Outbox#canSendNow()}), the batch's AppendEntries go to the followers that
     * take them at once ({@link Leader#sendAhead}) before the append, together with every message queued before
     * (those depend only on writes already made), so this leader's fsync overlaps the transport's send and the
     * followers' fsyncs (Raft thesis §10.2.1). If the append then fails, followers may hold the batch and a later
     * leader may commit it: each command fails as outcome unknown, and this method returns true, telling the caller
     * to step down (see {@link #failSentAhead}).
     *
     * @return whether this leader must step down: its append failed after the batch was sent
     */
    boolean flush(Leader leader, String leaderId, long now) {
        if (buffered.isEmpty()) {
            return false;
        }
        BufferedCommands batch = buffered; // handed over, not copied: the next commands go to the spare list
        buffered = spare;
        spare = batch;
        bufferedKeys.clear();
        try {
            return append(batch, leader, leaderId, now);
        } finally {
            batch.clear();
        }
    }

    private boolean append(BufferedCommands batch, Leader leader, String leaderId, long now) {
        if (leader == null) {
            for (int i = 0; i < batch.size(); i++) {
                fail(batch, i, new NotLeaderException(nodeId, leaderId), leaderId);
            }
            return false;
        }
        long term = parts.currentTerm();
        // one array for the batch, shared (not copied) by the AppendEntries sent ahead of the append
        LogEntry[] made = new LogEntry[batch.size()];
        long index = parts.log().lastIndex();
        for (int i = 0; i < made.length; i++) {
            byte[] command = batch.command(i);
            command = stamper == null ? command : stamper.stamp(command);
            made[i] = new LogEntry(++index, term, EntryType.COMMAND, command);
        }
        LogEntries entries = LogEntries.adopt(made);
        boolean sentAhead = parts.outbox().canSendNow() && leader.sendAhead(entries, now);
        if (sentAhead) {
            parts.outbox().sendNow(); // in order: what was queued before depends only on writes already made
        }
        try {
            parts.log().append(entries);
        } catch (LogException e) {
            LOG.warn("{}: could not append {} commands: {}", nodeId, batch.size(), e.toString());
            if (sentAhead) {
                failSentAhead(batch, e);
                return true;
            }
            for (int i = 0; i < batch.size(); i++) {
                if (e.isPermanent()) { // e.g. a failed fsync: the entries may be on disk after a restart
                    failOutcomeUnknown(batch, i, e, leaderId);
                } else {
                    fail(batch, i, new CommandNotAppendedException("leader " + nodeId + " could not append the command to"
                            + " its log (" + e.getMessage() + "); it was not applied, safe to retry"), leaderId);
                }
            }
            return false;
        }
        for (int i = 0; i < batch.size(); i++) {
            long entryIndex = entries.get(i).index();
            switch (batch.origin(i)) {
                case LOCAL -> pending.add(entryIndex, new Waiter.Local(batch.proposalId(i)), term);
                case MEMBER -> {
                    RecentRequests.Key key = batch.key(i);
                    recentRequests.putAppended(key, batch.command(i), entryIndex, term);
                    parts.outbox().send(parts.messages().commandAccepted(key.from(), key.requestId(),
                            entryIndex, term, nodeId));
                    leader.commitAwaitedBy(key.from(), entryIndex); // its caller waits until it applies the entry
                }
                case CLIENT -> {
                    RecentRequests.Key key = batch.key(i);
                    recentRequests.putAppended(key, batch.command(i), entryIndex, term);
                    pending.add(entryIndex, new Waiter.Remote(key.from(), key.requestId()), term);
                }
            }
        }
        leader.replicateAppended(now);
        return false;
    }

    /**
     * The append of a batch already sent to followers failed: they may hold it and a later leader may commit it, so
     * each command's outcome is unknown (a local proposal fails with {@link CommandOutcomeUnknownException}, a member
     * or client is answered REJECTED "outcome unknown", and a member's answer is remembered against duplicates). The
     * caller steps down: leading on, this leader would append its next batch at the same indexes, and two different
     * entries at one (index, term) would break Log Matching. Stepping down (same term, no leader) is enough, and
     * better than stopping: a node leads at most once per term, so those indexes are never reused in this term; the
     * followers elect a leader of a later term as after a leader crash, this node takes part, and a transient log
     * error costs one election, not a node. A permanent failure stops the node as usual (the runtime's log watch).
     */
    private void failSentAhead(BufferedCommands batch, LogException e) {
        String why = "leader " + nodeId + " sent the command to its followers but could not append it to its own log ("
                + e.getMessage() + "); a later leader may still commit it";
        for (int i = 0; i < batch.size(); i++) {
            BufferedCommands.Origin origin = batch.origin(i);
            if (origin == BufferedCommands.Origin.LOCAL) {
                parts.outcomes().fail(batch.proposalId(i), new CommandOutcomeUnknownException(why, e));
                continue;
            }
            RecentRequests.Key key = batch.key(i);
            String error = CommandRejections.OUTCOME_UNKNOWN + why;
            if (origin == BufferedCommands.Origin.MEMBER) {
                recentRequests.putRefused(key, batch.command(i), CommandResponse.Status.REJECTED, error);
            }
            parts.outbox().send(parts.messages().commandRefused(key.from(), key.requestId(),
                    CommandResponse.Status.REJECTED, null, error));
        }
    }

    /**
     * Buffered command {@code i} was certainly not appended; a member's refusal is remembered (see {@link #refuse}).
     */
    private void fail(BufferedCommands batch, int i, RetriableCommandException cause, String leaderId) {
        BufferedCommands.Origin origin = batch.origin(i);
        if (origin == BufferedCommands.Origin.LOCAL) {
            parts.outcomes().fail(batch.proposalId(i), cause);
            return;
        }
        RecentRequests.Key key = batch.key(i);
        String error = CommandRejections.NOT_APPENDED + cause.getMessage();
        if (origin == BufferedCommands.Origin.MEMBER) {
            recentRequests.putRefused(key, batch.command(i), CommandResponse.Status.REJECTED, error);
        }
        parts.outbox().send(parts.messages().commandRefused(key.from(), key.requestId(),
                CommandResponse.Status.REJECTED, leaderId, error));
    }

    /**
     * Buffered command {@code i}'s append failed permanently (an I/O error): the failed write may still be on disk
     * after a restart, and then be committed by a later leader, so its outcome is unknown, not "not appended". The
     * node stops on such a failure; nothing is remembered for duplicates.
     */
    private void failOutcomeUnknown(BufferedCommands batch, int i, LogException e, String leaderId) {
        String why = "leader " + nodeId + "'s log failed permanently while appending the command (" + e.getMessage()
                + "); the write may survive a restart, so it may still be applied";
        if (batch.origin(i) == BufferedCommands.Origin.LOCAL) {
            parts.outcomes().fail(batch.proposalId(i), new CommandOutcomeUnknownException(why, e));
            return;
        }
        RecentRequests.Key key = batch.key(i);
        parts.outbox().send(parts.messages().commandRefused(key.from(), key.requestId(),
                CommandResponse.Status.REJECTED, leaderId, CommandRejections.OUTCOME_UNKNOWN + why));
    }
}
