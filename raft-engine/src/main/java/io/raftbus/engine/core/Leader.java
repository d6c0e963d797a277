package io.raftbus.engine.core;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The leader role: replication to each follower (etcd-style probe and pipeline, see {@link FollowerProgress}),
 * commitment by counting replicas of current-term entries (§5.4.2), heartbeats, CheckQuorum, linearizable reads
 * (ReadIndex rounds confirmed by a majority, thesis §6.4) and leadership transfer (thesis §3.10); a follower that
 * needs entries the log no longer holds is sent the latest snapshot ({@link SnapshotSender}). Its followers are the
 * other members (voters and learners) of the configuration in force, and while a change is uncommitted also those
 * of the committed configuration (a node being removed still learns of it); only voters count for commitment,
 * CheckQuorum and reads, this leader included only if it is one (a leader being removed leads on without counting
 * itself until the change commits, thesis §4.2.2). One instance per
 * term led, over that term's {@link LeaderState}; {@link RaftCore} creates it in becomeLeader and drops it on
 * step-down.
 */
final class Leader {

    private static final Logger LOG = LoggerFactory.getLogger(Leader.class);

    /**
     * Pipelined messages unacknowledged for this many heartbeat intervals are asked about (an empty AppendEntries
     * after the last entry sent), and snapshot chunks without progress for as long are resent.
     */
    static final int LOST_AFTER_HEARTBEATS = 2;
    /** Among transfer targets: the highest match index, then the most recently heard from. */
    private static final Comparator<FollowerProgress> TRANSFER_PREFERENCE =
            Comparator.comparingLong((FollowerProgress pr) -> pr.match).thenComparingLong(pr -> pr.lastHeardAt);

    private final CoreParts parts;
    private final String nodeId;
    private final RaftConfig config;
    private final LogView log;
    private final CommitTracker commits;
    private final LeaderState state;
    private final SnapshotSender snapshots;
    /** The replication targets the followers were last made to match (one list per committed configuration). */
    private List<String> syncedTargets;

    Leader(CoreParts parts, LeaderState state) {
        this.parts = parts;
        this.nodeId = parts.nodeId();
        this.config = parts.config();
        this.log = parts.log();
        this.commits = parts.commits();
        this.state = state;
        this.snapshots = new SnapshotSender(parts, state);
        this.syncedTargets = replicationTargets(parts); // what the state was created with
    }

    LeaderState state() {
        return state;
    }

    /**
     * Whom a leader replicates to: the other members of the configuration in force and, while it is uncommitted, of
     * the committed one, in id order.
     */
    static List<String> replicationTargets(CoreParts parts) {
        Configurations configs = parts.configs();
        long commitIndex = parts.commits().commitIndex();
        if (configs.latestIndex() <= commitIndex) {
            return configs.view().otherMembers();
        }
        TreeSet<String> targets = new TreeSet<>(configs.view().otherMembers());
        targets.addAll(configs.at(commitIndex).voters());
        targets.addAll(configs.at(commitIndex).learners());
        targets.remove(parts.nodeId());
        return List.copyOf(targets);
    }

    /**
     * The configuration in force, or the committed one, changed: followers are added (and probed) or dropped to
     * match {@link #replicationTargets}.
     */
    void syncFollowers(long now) {
        List<String> targets = replicationTargets(parts);
        if (targets == syncedTargets) {
            return; // the common case, on every message: the same configuration, committed, as last time
        }
        syncedTargets = targets;
        long removal = parts.configs().latestIndex();
        for (FollowerProgress pr : state.followers()) {
            if (!targets.contains(pr.id) && removal <= commits.commitIndex()) {
                // a farewell carrying the entries after what it acknowledged, the one that removed it included
                // (it may not have received it before the removal committed), with the commit index: it learns
                // that its removal committed and stops campaigning (it gets nothing more from this leader)
                parts.outbox().send(pr.match >= log.snapshotIndex()
                        ? appendFrom(pr, pr.match + 1) : emptyAppendAt(pr, removal));
            }
        }
        for (String id : state.syncFollowers(targets, log.lastIndex() + 1, config.maxInflightAppends())) {
            LOG.info("{}: replicating to new member {} from index {}", nodeId, id, log.lastIndex() + 1);
            sendProbe(state.follower(id), now);
        }
    }

    /**
     * A node no configuration held here knows campaigns (its pre-vote or vote, {@code request}, is dropped all the
     * same): a former member that missed its farewell, down or cut off when its removal committed, and campaigning
     * on every election timeout since. It is sent one farewell again: the entries after the last one of its log that
     * this log holds too (found from the request's last index and term, as a rejection's hint is), with the commit
     * index, so that it appends its removal, learns it committed and stops. Nothing is sent if that point is not in
     * this log (compacted, or its log diverged before any entry of its last term): it campaigns on, dropped.
     */
    void farewellAgain(RaftMessage request) {
        long lastIndex;
        long lastTerm;
        if (request instanceof PreVoteRequest r) {
            lastIndex = r.lastLogIndex();
            lastTerm = r.lastLogTerm();
        } else if (request instanceof VoteRequest r) {
            lastIndex = r.lastLogIndex();
            lastTerm = r.lastLogTerm();
        } else {
            return;
        }
        // entries of one term at one index are the same everywhere: up to the last index of its last term that this
        // log holds at or below its last index, its log is this one (Log Matching)
        long prev = log.lastIndexOfTerm(lastTerm, lastIndex);
        if (prev <= 0) {
            LOG.debug("{}: former member {} campaigns; its log (last {}@{}) meets this one at no index held here",
                    nodeId, request.from(), lastIndex, lastTerm);
            return;
        }
        List<LogEntry> entries = prev < log.lastIndex()
                ? log.read(prev + 1, Math.min(log.lastIndex(), prev + config.maxEntriesPerAppend()) + 1,
                config.maxBytesPerAppend())
                : List.of();
        LOG.debug("{}: former member {} campaigns; sending its farewell again after index {}", nodeId,
                request.from(), prev);
        parts.outbox().send(parts.messages().append(request.from(), prev, log.termAt(prev), entries,
                commits.commitIndex(), state.readRound()));
    }

    /**
     * Whether follower {@code id} acknowledged entries of this leader (a node that never answered, say one not
     * started yet, is not caught up however short the log) and is within {@code maxLag} entries of its last index.
     */
    boolean caughtUp(String id, long maxLag) {
        FollowerProgress pr = state.follower(id);
        return pr != null && pr.match > 0 && pr.match >= log.lastIndex() - maxLag;
    }

    /** Whether a snapshot transfer to some follower is live (see {@link SnapshotSender#anyLive}). */
    boolean sendingSnapshot(long now) {
        return snapshots.anyLive(now);
    }

    /** Commits the no-op at once if this node alone is a majority, and probes every follower. */
    void start(long now) {
        maybeCommit();
        for (FollowerProgress pr : state.followers()) {
            sendProbe(pr, now);
        }
    }

    // --------------------------------------------------------------------------------------------- replication

    /** A follower's answer to an AppendEntries of this term (the caller checked the term). */
    void onAppendEntriesResponse(AppendEntriesResponse r, long now) {
        FollowerProgress pr = state.follower(r.from());
        if (pr == null || r.answersEarlierTerm()) {
            return; // an answer to a request of an earlier term says nothing about this term's replication or lease
        }
        pr.lastHeardAt = now;
        // any answer of this term to a request sent after round n proves this node still led after round n began
        pr.echoedReadRound = Math.max(pr.echoedReadRound, r.readSeq());
        if (r.success()) {
            if (r.matchIndex() > log.lastIndex()) {
                LOG.warn("{}: {} acknowledged index {} beyond the leader's last index {}; ignoring", nodeId,
                        r.from(), r.matchIndex(), log.lastIndex());
                return;
            }
            pr.updateMatch(r.matchIndex());
            if (pr.state == FollowerProgress.State.PROBE && r.matchIndex() >= pr.next - 1) {
                pr.becomePipeline();
            } else if (pr.state == FollowerProgress.State.SNAPSHOT && pr.match >= log.snapshotIndex()) {
                pr.becomeProbe(pr.match + 1); // it matches past the compacted prefix after all: no snapshot needed
            }
            sendTimeoutNowIfCaughtUp(pr); // during a transfer, again on each ack: a lost TimeoutNow is resent
            if (maybeCommit()) { // on every ack, not only on progress: an earlier attempt may have hit a log error
                for (FollowerProgress other : state.followers()) {
                    sendAppends(other, now);
                    sendCommitIfBehind(other, now);
                }
            } else {
                sendAppends(pr, now);
                sendCommitIfBehind(pr, now);
            }
            return;
        }
        if (r.rejectedIndex() <= pr.match || pr.state == FollowerProgress.State.SNAPSHOT) {
            return; // stale: the follower matched further since, or is being sent a snapshot
        }
        if (pr.state == FollowerProgress.State.PROBE && r.rejectedIndex() != pr.next - 1) {
            return; // stale: not an answer to the current probe
        }
        long next = nextFromHint(r);
        next = Math.max(pr.match + 1, Math.min(next, Math.min(pr.next, r.rejectedIndex())));
        LOG.debug("{}: {} rejected at {} (conflict term {} from {}); probing from {}", nodeId, r.from(),
                r.rejectedIndex(), r.conflictTerm(), r.conflictIndex(), next);
        pr.becomeProbe(next);
        sendProbe(pr, now);
    }

    /** A follower's answer of this term about a snapshot chunk (the caller checked the term). */
    void onInstallSnapshotResponse(InstallSnapshotResponse r, long now) {
        FollowerProgress pr = state.follower(r.from());
        if (pr == null) {
            return;
        }
        pr.lastHeardAt = now;
        pr.echoedReadRound = Math.max(pr.echoedReadRound, r.readSeq());
        snapshots.onResponse(pr, r, now);
        if (pr.state != FollowerProgress.State.SNAPSHOT) {
            sendTimeoutNowIfCaughtUp(pr);
            sendAppends(pr, now); // installed: probing resumes after the snapshot
        }
    }

    /** New entries were appended to this leader's log: commits what a majority holds, and sends them on. */
    void replicateAppended(long now) {
        boolean committed = maybeCommit();
        for (FollowerProgress pr : state.followers()) {
            sendAppends(pr, now);
            if (committed && config.commitNoticeDelayMs() > 0) {
                sendCommitIfBehind(pr, now); // (acks of a batch sent ahead can come before the append returns)
            }
        }
    }

    /**
     * Before {@code entries} (a new batch, right after the last index) are appended here: queues their AppendEntries,
     * built from the batch in memory, for every follower that takes them at once (pipelining, expecting the batch's
     * first index, window not full), within {@link RaftConfig#maxEntriesPerAppend()} and
     * {@link RaftConfig#maxBytesPerAppend()} per message, as {@link #sendAppends} would after the append. Nothing
     * else changes: this leader's own match is still its log's last index (it counts itself only once the append
     * returned). Returns whether any was queued. If the append then fails, this leader must not lead on (the caller
     * steps down): its followers may hold entries its log does not.
     */
    boolean sendAhead(List<LogEntry> entries, long now) {
        long first = entries.get(0).index();
        boolean sent = false;
        for (FollowerProgress pr : state.followers()) {
            if (pr.state != FollowerProgress.State.PIPELINE || pr.next != first) {
                continue;
            }
            int from = 0;
            while (from < entries.size() && !pr.inflights.full()) {
                int to = batchEnd(entries, from);
                long prevTerm = from == 0 ? log.termAt(first - 1) : entries.get(from - 1).term();
                AppendEntriesRequest req = parts.messages().append(pr.id, pr.next - 1, prevTerm,
                        entries.subList(from, to), commits.commitIndex(), state.readRound());
                pr.commitSent = Math.max(pr.commitSent, Math.min(commits.commitIndex(), req.lastIndex()));
                pr.inflights.add(req.lastIndex(), now);
                pr.next = req.lastIndex() + 1;
                parts.outbox().send(req);
                sent = true;
                from = to;
            }
        }
        return sent;
    }

    /** The end (exclusive) of one AppendEntries' worth of {@code entries} from {@code from}: at least one entry. */
    private int batchEnd(List<LogEntry> entries, int from) {
        int end = Math.min(entries.size(), from + config.maxEntriesPerAppend());
        long bytes = entries.get(from).sizeBytes();
        int to = from + 1;
        while (to < end && bytes + entries.get(to).sizeBytes() <= config.maxBytesPerAppend()) {
            bytes += entries.get(to).sizeBytes();
            to++;
        }
        return to;
    }

    /**
     * Where to resume after a rejection: past the leader's last entry of the conflicting term if it has any (a binary
     * search, terms never decrease along a log), else the follower's hint index.
     */
    private long nextFromHint(AppendEntriesResponse r) {
        long lastOfConflictTerm = log.lastIndexOfTerm(r.conflictTerm(), r.rejectedIndex());
        return lastOfConflictTerm > 0 ? lastOfConflictTerm + 1 : r.conflictIndex();
    }

    /** Sends what the follower's state allows: a probe if none is outstanding, or pipelined batches. */
    private void sendAppends(FollowerProgress pr, long now) {
        if (pr.state == FollowerProgress.State.SNAPSHOT) {
            snapshots.sendChunks(pr, now);
            return;
        }
        if (pr.state == FollowerProgress.State.PROBE) {
            if (!pr.probeOutstanding) {
                sendProbe(pr, now);
            }
            return;
        }
        if (snapshots.needsSnapshot(pr)) {
            snapshots.start(pr, now);
            return;
        }
        while (!pr.inflights.full() && pr.next <= log.lastIndex()) {
            AppendEntriesRequest req = appendFrom(pr, pr.next);
            pr.inflights.add(req.lastIndex(), now);
            pr.next = req.lastIndex() + 1;
            parts.outbox().send(req);
        }
    }

    /** A probe at {@code pr.next}; or, if the log no longer holds the entry before it, the latest snapshot. */
    private void sendProbe(FollowerProgress pr, long now) {
        if (snapshots.needsSnapshot(pr)) {
            snapshots.start(pr, now);
            return;
        }
        parts.outbox().send(appendFrom(pr, pr.next));
        pr.probeOutstanding = true;
    }

    /**
     * A follower in PIPELINE owed the commit index: with {@link RaftConfig#commitNoticeDelayMs()} 0, an empty
     * AppendEntries at the match index at once; else the notice is scheduled that long from now and
     * {@link #sendCommitNotices} decides at the end of the step (the next AppendEntries to it may carry it first).
     */
    private void sendCommitIfBehind(FollowerProgress pr, long now) {
        if (!pr.commitNoticeOwed(commits.commitIndex())) {
            return;
        }
        if (config.commitNoticeDelayMs() == 0) {
            parts.outbox().send(emptyAppendAt(pr, pr.match));
        } else {
            state.scheduleCommitNotices(now + config.commitNoticeDelayMs());
        }
    }

    /**
     * At the end of a step (when the {@code Ready} is assembled): each follower still owed the commit index (no
     * AppendEntries of this step carried it) is sent an empty AppendEntries at its match index if the notices are
     * due ({@link RaftConfig#commitNoticeDelayMs()} after the commit moved), or if it waits on the commit index now
     * ({@link #wantsCommitNow}). Nothing is scheduled any more once none is owed.
     */
    void sendCommitNotices(long now) {
        long due = state.commitNoticesDueAt();
        if (due == Long.MAX_VALUE) {
            return; // the common case: nothing owed
        }
        long commitIndex = commits.commitIndex();
        boolean stillOwed = false;
        for (FollowerProgress pr : state.followers()) {
            if (!pr.commitNoticeOwed(commitIndex)) {
                continue;
            }
            if (now >= due || wantsCommitNow(pr)) {
                parts.outbox().send(emptyAppendAt(pr, pr.match));
            } else {
                stillOwed = true;
            }
        }
        if (!stillOwed) {
            state.commitNoticesDone();
        }
    }

    /**
     * Whether a follower owed the commit index should not wait for the delay: it waits on it (a command it forwarded,
     * a read it forwarded: {@link FollowerProgress#awaitedCommit}), a configuration change it was not told committed
     * has committed (removals, promotions, the end of a change take effect on commitment), or leadership is being
     * handed over.
     */
    private boolean wantsCommitNow(FollowerProgress pr) {
        long configIndex = parts.configs().latestIndex();
        return pr.awaitsCommit() || state.transferring()
                || (configIndex > pr.commitSent && configIndex <= commits.commitIndex());
    }

    /** Whether some follower is owed the commit index (see {@link FollowerProgress#commitNoticeOwed}). */
    private boolean commitNoticeOwed() {
        long commitIndex = commits.commitIndex();
        for (FollowerProgress pr : state.followers()) {
            if (pr.commitNoticeOwed(commitIndex)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Follower {@code id} (if it is one) waits to learn that {@code index} committed: a command it forwarded was
     * accepted there, or a read it forwarded has that read index. Its commit notices go out at once until then.
     */
    void commitAwaitedBy(String id, long index) {
        FollowerProgress pr = state.follower(id);
        if (pr != null && index > pr.awaitedCommit) {
            pr.awaitedCommit = index;
        }
    }

    private AppendEntriesRequest appendFrom(FollowerProgress pr, long next) {
        long prev = next - 1;
        List<LogEntry> entries = next <= log.lastIndex()
                ? log.read(next, Math.min(log.lastIndex(), next + config.maxEntriesPerAppend() - 1) + 1,
                config.maxBytesPerAppend())
                : List.of();
        AppendEntriesRequest req = parts.messages().append(pr.id, prev, log.termAt(prev), entries,
                commits.commitIndex(), state.readRound());
        pr.commitSent = Math.max(pr.commitSent, Math.min(commits.commitIndex(), req.lastIndex()));
        return req;
    }

    /**
     * An empty AppendEntries after {@code prev}, or after the end of the compacted prefix if {@code prev} is below it
     * (its term is gone; the follower's answer tells whether it holds that much).
     */
    private AppendEntriesRequest emptyAppendAt(FollowerProgress pr, long wantedPrev) {
        long prev = Math.max(wantedPrev, log.snapshotIndex());
        pr.commitSent = Math.max(pr.commitSent, Math.min(commits.commitIndex(), prev));
        return parts.messages().append(pr.id, prev, log.termAt(prev), List.of(), commits.commitIndex(),
                state.readRound());
    }

    /** Advances the commit index to the highest current-term index stored on a majority; returns whether it moved. */
    private boolean maybeCommit() {
        long candidate = reachedByMajority(log.lastIndex(), pr -> pr.match);
        return candidate > commits.commitIndex() && log.termAt(candidate) == parts.currentTerm()
                && commits.advanceTo(candidate);
    }

    /**
     * The highest value that a majority of the voters in force reaches: this leader's own (if it votes) and its
     * voting followers' {@code field}.
     */
    private long reachedByMajority(long own, ToLongFunction<FollowerProgress> field) {
        ConfigView view = parts.view();
        MajorityQuorum quorum = view.quorum();
        long[] values = quorum.clearedScratch(); // one slot per voter; a voter without progress counts 0
        int i = 0;
        if (view.selfVoter()) {
            values[i++] = own;
        }
        for (FollowerProgress pr : state.followers()) {
            if (i < values.length && pr.isVoterIn(view)) {
                values[i++] = field.applyAsLong(pr);
            }
        }
        return quorum.valueReachedInPlace(values);
    }

    // ------------------------------------------------------------------------------------- heartbeat and quorum

    /**
     * Time passed: abandons a transfer past its deadline, runs CheckQuorum when due (if enabled), and sends the
     * heartbeat when due. Returns false if CheckQuorum found no majority: the caller steps down (no heartbeat is sent).
     */
    boolean tick(long now) {
        expireTransfer(now);
        if (config.checkQuorum() && state.quorumCheckDue(now) && !checkQuorum(now)) {
            return false;
        }
        if (state.heartbeatDue(now)) {
            heartbeat(now);
        }
        return true;
    }

    /**
     * When {@link #tick} next has work: the earliest of the heartbeat, the CheckQuorum (if enabled), the deadline
     * of a transfer under way and, while a follower is owed the commit index, when its notice is due. The silent-target check of a transfer runs with the heartbeat, so it needs no deadline.
     */
    long nextDeadline() {
        long next = state.nextHeartbeatAt();
        if (config.checkQuorum()) {
            next = Math.min(next, state.nextQuorumCheckAt());
        }
        if (state.transferring()) {
            next = Math.min(next, state.transferDeadline());
        }
        long noticesDue = state.commitNoticesDueAt();
        if (noticesDue < next && commitNoticeOwed()) { // only while owed: an idle leader wakes for its heartbeat
            next = noticesDue;
        }
        return next;
    }

    /**
     * Sends the heartbeat to every follower (asking whether it holds the window where pipelined appends went
     * unacknowledged), and
     * schedules the next; during a transfer, a silent picked target may give way first.
     */
    private void heartbeat(long now) {
        state.scheduleHeartbeat(now + config.heartbeatIntervalMs());
        if (state.transferring()) {
            repickSilentTransferTarget(now);
        }
        maybeCommit(); // cheap; retries a commit step that an earlier log error interrupted
        long lostAfter = LOST_AFTER_HEARTBEATS * config.heartbeatIntervalMs();
        for (FollowerProgress pr : state.followers()) {
            if (pr.state == FollowerProgress.State.SNAPSHOT) {
                snapshots.onHeartbeat(pr, now); // its chunks are the leader's contact
            } else if (pr.state == FollowerProgress.State.PROBE && snapshots.needsSnapshot(pr)) {
                snapshots.start(pr, now);
            } else if (pr.state == FollowerProgress.State.PROBE) {
                // empty: a follower that is down or cut off would otherwise be sent a full batch of entries on
                // every heartbeat (onto its Kafka inbox, to be read back on restart); its answer, if any, brings
                // the entries (pipeline on a match, a new probe from the hint on a rejection)
                parts.outbox().send(emptyAppendAt(pr, pr.next - 1));
                pr.probeOutstanding = true;
            } else if (!pr.inflights.isEmpty() && now - pr.inflights.oldestSentAt() >= lostAfter) {
                // not resent yet: a slow follower (disk, link) acknowledges late, and resending the window would
                // send it everything again. An empty AppendEntries after the last entry sent comes after the
                // window (per-link order) and asks whether it holds all of it: a success acknowledges the window,
                // a rejection (something was lost) names where to resume, from which the entries are probed again
                LOG.debug("{}: no acknowledgement from {} for {} ms; asking whether it holds up to {}", nodeId,
                        pr.id, now - pr.inflights.oldestSentAt(), pr.next - 1);
                parts.outbox().send(emptyAppendAt(pr, pr.next - 1));
            } else {
                parts.outbox().send(emptyAppendAt(pr, pr.match));
            }
        }
    }

    /**
     * CheckQuorum: whether a majority (this leader included) was heard from within the minimum election timeout. If
     * so the next check is scheduled; if not, this node must step down.
     */
    private boolean checkQuorum(long now) {
        ConfigView view = parts.view();
        int heard = view.selfVoter() ? 1 : 0;
        for (FollowerProgress pr : state.followers()) {
            if (pr.isVoterIn(view) && pr.heardWithin(now, config.electionTimeoutMinMs())) {
                heard++;
            }
        }
        if (view.quorum().isReachedBy(heard)) {
            state.scheduleQuorumCheck(now + config.electionTimeoutMinMs());
            return true;
        }
        LOG.debug("{}: stepping down in term {}: heard from only {} of {} voters within {} ms (CheckQuorum)", nodeId,
                parts.currentTerm(), heard, view.membership().voters().size(), config.electionTimeoutMinMs());
        return false;
    }

    // ------------------------------------------------------------------------------------------ reads (ReadIndex)

    /**
     * A local read, to be served once a confirmation round started after it is echoed by a majority.
     *
     * @throws NotLeaderException leadership is being handed over
     * @throws BackpressureException {@link RaftConfig#maxPendingCommands()} reads are waiting already
     */
    void submitRead(long proposalId, byte[] query) {
        refuseWhileTransferring();
        ReadIndexQueue reads = state.reads();
        if (reads.size() >= config.maxPendingCommands()) {
            throw new BackpressureException(reads.size() + " reads are waiting (maxPendingCommands "
                    + config.maxPendingCommands() + "); retry later");
        }
        reads.add(new Waiter.Local(proposalId), query);
    }

    /**
     * Leadership lost: no read waiting here can be confirmed any more. Each fails as not served; a member's or
     * client's is told NOT_LEADER, naming {@code newLeader}.
     */
    void failReads(String why, String newLeader) {
        for (ReadIndexQueue.Read r : state.reads().takeAll()) {
            if (r.waiter() instanceof Waiter.Local local) {
                parts.outcomes().fail(local.proposalId(), new ReadNotServedException("read not served by "
                        + nodeId + ": " + why + "; reading again is safe"));
            } else if (r.waiter() instanceof Waiter.Remote remote) {
                parts.outbox().send(parts.messages().commandRefused(remote.clientId(), remote.requestId(),
                        CommandResponse.Status.NOT_LEADER, newLeader, "read not served: " + why));
            }
        }
    }

    /**
     * Reads that arrived since the last round get a new round, once this leader has committed an entry of its own
     * term (before that its commit index may lag what earlier leaders committed): their read index is the commit
     * index now, and an empty AppendEntries carrying the round goes to every follower at once.
     */
    void startReadRoundIfNeeded() {
        if (!state.reads().hasReadsWaitingForRound() || commits.commitIndex() < state.termFirstIndex()) {
            return;
        }
        long round = state.nextReadRound();
        long readIndex = commits.commitIndex();
        // a follower that forwarded one of these reads waits until it has applied the read index
        state.reads().forEachWaitingForRound(w -> {
            if (w instanceof Waiter.Remote remote) {
                commitAwaitedBy(remote.clientId(), readIndex);
            }
        });
        state.reads().startRound(round, readIndex);
        for (FollowerProgress pr : state.followers()) {
            if (pr.state == FollowerProgress.State.SNAPSHOT || (pr.state == FollowerProgress.State.PROBE
                    && snapshots.needsSnapshot(pr))) {
                continue; // its snapshot chunks carry the round (the others can make the majority)
            }
            parts.outbox().send(emptyAppendAt(pr, pr.state == FollowerProgress.State.PROBE ? pr.next - 1 : pr.match));
        }
    }

    /** Hands the reads whose round a majority confirmed, and whose read index is applied, to the runtime. */
    void serveConfirmedReads() {
        ReadIndexQueue reads = state.reads();
        if (!reads.hasReadsInRound()) {
            return; // the common case: no read waiting, no quorum to compute on every ready()
        }
        long confirmedRound = reachedByMajority(state.readRound(), pr -> pr.echoedReadRound);
        for (ReadIndexQueue.Read r : reads.takeServable(confirmedRound, commits.lastApplied())) {
            parts.outcomes().readServed(new ReadyRead(r.waiter(), r.readIndex(), r.query()));
        }
    }

    // ------------------------------------------------------------------------------------- leadership transfer

    /**
     * Starts handing leadership to {@code target}, or if null to {@link #bestTransferTarget}; sends it a
     * TimeoutNow if its log matches, else what it lacks. Returns the follower chosen.
     */
    String startTransfer(String target, long now) {
        FollowerProgress pr = state.follower(target != null ? target : bestTransferTarget(now));
        state.startTransfer(pr.id, target == null, now, now + config.electionTimeoutMaxMs());
        LOG.info("{}: handing leadership of term {} to {} (its log matches up to {} of {})", nodeId,
                parts.currentTerm(), pr.id, pr.match, log.lastIndex());
        if (!sendTimeoutNowIfCaughtUp(pr)) {
            sendAppends(pr, now);
        }
        return pr.id;
    }

    /** While leadership is being handed over, new commands and reads are refused. */
    void refuseWhileTransferring() {
        if (state.transferring()) {
            throw NotLeaderException.transferring(nodeId, state.transferTarget());
        }
    }

    /** Abandons a transfer that has not completed by its deadline (the maximum election timeout): leads on. */
    private void expireTransfer(long now) {
        if (state.transferring() && now >= state.transferDeadline()) {
            LOG.info("{}: leadership transfer to {} did not complete within {} ms; leading on in term {}", nodeId,
                    state.transferTarget(), config.electionTimeoutMaxMs(), parts.currentTerm());
            state.endTransfer();
        }
    }

    /**
     * The follower most likely to take over at once: heard from within two heartbeats if any is (a live follower
     * answers every heartbeat; one that just went down was heard from within the election timeout too), else within
     * an election timeout; among those the highest match index, then the most recently heard from.
     */
    private String bestTransferTarget(long now) {
        String best = bestVoterHeardFrom(now);
        if (best == null) {
            throw new IllegalStateException("node " + nodeId + " has heard from no voting follower within the last "
                    + config.electionTimeoutMinMs() + " ms: no one to hand leadership to");
        }
        return best;
    }

    /** As {@link #bestTransferTarget}, or null if no voting follower was heard from within an election timeout. */
    String bestVoterHeardFrom(long now) {
        ConfigView view = parts.view();
        for (long window : new long[] {2 * config.heartbeatIntervalMs(), config.electionTimeoutMinMs()}) {
            Optional<FollowerProgress> best = Arrays.stream(state.followers())
                    .filter(pr -> view.isVoter(pr.id) && pr.heardWithin(now, window)).max(TRANSFER_PREFERENCE);
            if (best.isPresent()) {
                return best.get().id;
            }
        }
        return null;
    }

    /** During a transfer: tells the target to campaign now if its log matches this one; returns whether it did. */
    private boolean sendTimeoutNowIfCaughtUp(FollowerProgress pr) {
        if (!pr.id.equals(state.transferTarget()) || pr.match != log.lastIndex()) {
            return false;
        }
        parts.outbox().send(parts.messages().timeoutNow(pr.id));
        return true;
    }

    /**
     * A picked transfer target silent for two heartbeats since the transfer began (it went down just before) gives
     * way to the best follower that has answered meanwhile. If none has answered within the minimum election
     * timeout, the transfer is abandoned then rather than at its deadline (a whole cluster shutting down: no one is
     * left to take over); the wait is that long so that a slow moment of live followers does not cancel it.
     */
    private void repickSilentTransferTarget(long now) {
        FollowerProgress current = state.follower(state.transferTarget());
        long transferStartedAt = state.transferStartedAt();
        if (!state.transferTargetPicked() || current.lastHeardAt > transferStartedAt
                || now - transferStartedAt < 2 * config.heartbeatIntervalMs()) {
            return;
        }
        Optional<FollowerProgress> answered = Arrays.stream(state.followers())
                .filter(pr -> parts.view().isVoter(pr.id) && pr.lastHeardAt > transferStartedAt)
                .max(TRANSFER_PREFERENCE);
        if (answered.isEmpty()) {
            if (now - transferStartedAt >= config.electionTimeoutMinMs()) {
                LOG.info("{}: no follower has answered since the leadership transfer began; leading on in term {}",
                        nodeId, parts.currentTerm());
                state.endTransfer();
            }
            return;
        }
        FollowerProgress pr = answered.get();
        LOG.info("{}: {} has not answered since the leadership transfer began; handing over to {} instead", nodeId,
                state.transferTarget(), pr.id);
        state.retargetTransfer(pr.id);
        if (!sendTimeoutNowIfCaughtUp(pr)) {
            sendAppends(pr, now);
        }
    }
}
