package io.raftbus.engine.core;

import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol of one node as a deterministic, single-threaded state machine. No threads, sleeps, wall clock,
 * ambient randomness or I/O of its own: time is handed in through {@link #tick(long)}, randomness through the injected
 * {@link RandomGenerator}, and durable state is written through the {@link LogAPI} synchronously, before any message
 * that depends on it is emitted. Effects come out through {@link #ready()}.
 *
 * <p>What it implements (Ongaro's paper and thesis): randomized election timeouts; RequestVote with the §5.4.1
 * up-to-date check and one durable vote per term; optional PreVote (§9.6) and CheckQuorum with the leader lease
 * that goes with it (§4.2.3, §6.2); AppendEntries with the log-matching check, truncation of a conflicting suffix
 * (never of a committed entry) and a conflict hint (term and first index of that term); a no-op at the start of each
 * leader's term and commitment only by counting replicas of current-term entries (§5.4.2); batched, pipelined
 * replication with per-follower probe/pipeline states; group commit of client commands; forwarding of proposals from
 * followers to the leader; linearizable reads (ReadIndex); leadership transfer; backpressure; with a snapshot store,
 * snapshots (§7): taking them by policy or on demand and compacting the log behind them, sending them in chunks to
 * followers the log no longer serves, and installing one received from the leader; single-server membership changes
 * (thesis §4.1, {@link MembershipChanges}) with learners: the configuration in force is the latest in the log
 * ({@link Configurations}), and only its voters campaign and count.
 *
 * <p>This class is a facade: it takes the inputs, applies Raft's term rule to every message, switches roles, and
 * assembles the outputs into a {@link Ready}. The work is done by:
 * <ul>
 *   <li>{@link Leader}, over a {@link LeaderState} that {@code becomeLeader} creates and step-down drops: replication,
 *       commitment, heartbeats, CheckQuorum, ReadIndex rounds, leadership transfer;</li>
 *   <li>{@link Follower}: the current leader's AppendEntries against this log;</li>
 *   <li>{@link SnapshotPolicy} (when to take a snapshot), {@link SnapshotSender} (a leader's transfers, per
 *       follower {@link SnapshotTransfer}) and {@link SnapshotReceiver} (a follower's install);</li>
 *   <li>{@link CandidateState} (one per campaign) and {@link Voter} (answering other nodes' campaigns);</li>
 *   <li>{@link CommandIntake}: CommandRequests and the leader's local submits, deduplication, group commit;</li>
 *   <li>{@link Forwarding}: a non-leader's proposals sent on to the leader, and the answers;</li>
 *   <li>{@link CommitTracker}, {@link PendingProposals}, {@link ProposalOutcomes}: the commit index, the hand-out of
 *       committed entries, and one outcome per proposal;</li>
 *   <li>{@link LogView}, {@link TermAndVote}, {@link MajorityQuorum}, {@link Messages}, {@link Outbox}: the log with
 *       its cached end, the single durable write of term and vote, majority arithmetic, building and queueing
 *       messages.</li>
 * </ul>
 *
 * <p>Roles and every legal transition ({@link Role}):
 * <pre>
 * from                         to             on
 * FOLLOWER, PRE_/CANDIDATE     PRE_CANDIDATE  election timeout, with PreVote on and other voters (no term change)
 * FOLLOWER, PRE_/CANDIDATE     CANDIDATE      election timeout with PreVote off or no other voter (term + 1)
 * PRE_CANDIDATE                CANDIDATE      pre-votes granted by a majority (term + 1)
 * FOLLOWER                     CANDIDATE      TimeoutNow of its term from the leader (term + 1, transfer flag)
 * CANDIDATE                    LEADER         votes granted by a majority (at once for a single voter); no-op appended
 * any                          FOLLOWER       a Raft message of a higher term, except a PreVote request or a
 *                                             granted PreVote response (the term rule; a vote request during a
 *                                             leader lease is ignored instead; commands are outside the rule)
 * PRE_/CANDIDATE               FOLLOWER       AppendEntries of its term (the sender is the leader)
 * FOLLOWER                     FOLLOWER       AppendEntries of its term from a leader it did not know yet
 * LEADER                       FOLLOWER       CheckQuorum: no majority heard from within the minimum election timeout
 * LEADER                       FOLLOWER       its own removal committed (after handing leadership over, if it could)
 * </pre>
 * Only a voter of the configuration in force campaigns (times out, or obeys TimeoutNow). A LEADER never campaigns:
 * it leaves its role only for FOLLOWER. Becoming FOLLOWER drops the campaign, or the leader state (failing the reads
 * waiting on it); becoming LEADER drops the campaign.
 *
 * <p>Durability choice: every LogAPI write is synchronous and durable when it returns, and the core calls the log
 * <em>before</em> changing its in-memory state or emitting a message that depends on the write. In particular the
 * leader appends its own entries durably before sending them, so its own match index is simply its last log index:
 * the parallel leader write of thesis §10.2.1 is deliberately not used (group commit recovers most of its benefit).
 * A LogAPI exception therefore leaves the core as it was before the call that failed.
 *
 * <p>Outcome of proposals: a proposal waits for a specific (index, term). It succeeds when the entry committed at
 * that index has that term, and fails with {@link CommandNotCommittedException} when the committed entry has another
 * term, or as soon as an entry of a later term is committed below its index (the committed log is one log and terms
 * never decrease along a log, so its entry can then never commit; this also settles proposals whose index an idle
 * cluster may never reach). When this node's log loses or replaces the entry first (a new leader truncated it), the
 * proposal keeps waiting: another node may still hold the entry and a later leader may commit it (the Figure 8
 * scenario), so only a commit decides. A new leader commits an entry of its term at once, so the wait is short, and
 * the answer is definite where failing at the truncation could only say "outcome unknown". Every local proposal
 * also has a deadline ({@link RaftConfig#commandTimeoutMs()}): without an outcome by then it fails as outcome unknown
 * (a read: not served), and {@link #ready()} hands out at most one outcome per proposal. A command request answered
 * before (appended or, from a member, refused) is answered the same way again whatever the role, so a duplicate
 * never contradicts its first answer.
 *
 * <p>Not thread-safe: one thread (the node's event loop, or the simulation) owns an instance.
 */
public final class RaftCore {

    private static final Logger LOG = LoggerFactory.getLogger(RaftCore.class);

    /** Prefix of the error of a REJECTED CommandResponse refused for backpressure ({@link CommandRejections}). */
    static final String REJECTED_BACKPRESSURE = CommandRejections.BACKPRESSURE;

    private static final byte[] NO_BYTES = new byte[0];

    // who this node is, and its settings
    private final String nodeId;
    /** The configurations in the log; the latest is in force (voters, learners, majority). */
    private final Configurations configs;
    private final RaftConfig config;
    private final LogAPI log;
    private final InboundFilter inbound;
    private final RandomGenerator random;
    private final ElectionTimer electionTimer;
    private long now;

    // durable state and the parts every role uses
    /** The durable term and vote, written through the log first. */
    private final TermAndVote termAndVote;
    /** The log, with its end cached. */
    private final LogView logView;
    private final Messages messages;
    private final Outbox outbox;
    /** Proposals waiting for their index to commit: local ones, and those of members and clients appended here. */
    private final PendingProposals pending = new PendingProposals();
    private final ProposalOutcomes outcomes = new ProposalOutcomes();
    /** The commit index and the committed entries handed out for applying. */
    private final CommitTracker commits;
    private final CoreParts parts;

    // behaviour
    private final Forwarding forwarding;
    private final CommandIntake intake;
    private final Follower follower;
    private final Voter voter;
    private final MembershipChanges membershipChanges;

    // snapshots (the store is null when this node takes none)
    private final SnapshotStore snapshots;
    private final SnapshotPolicy snapshotPolicy;
    private final SnapshotReceiver snapshotReceiver;
    /** A snapshot installed from the leader since the last ready(), for the host to restore; null if none. */
    private SnapshotInfo snapshotToRestore;

    // the role
    private Role role = Role.FOLLOWER;
    /** The leader of the current term as far as this node knows (itself when leading), or null. */
    private String leaderId;
    /** When this node last heard from the leader it follows (for the leader lease and pre-votes). */
    private long lastLeaderContactAt = Long.MIN_VALUE;
    /** The campaign under way: set while {@link Role#PRE_CANDIDATE} or {@link Role#CANDIDATE}, else null. */
    private CandidateState candidate;
    /** The leader role and its state: set while {@link Role#LEADER}, created by becomeLeader, dropped on step-down. */
    private Leader leader;
    /** The last read-confirmation round started as leader, carried into the next term led (rounds never go back). */
    private long readRound;

    // the status last reported through ready()
    private Role reportedRole;
    private long reportedTerm;
    private String reportedLeader;
    /** The last status built by {@link #status()}, returned again while nothing in it changed; and its membership. */
    private RaftStatus lastStatus;
    private Membership lastStatusMembership;

    /**
     * Creates the core of a node, loading its term, vote and log from {@code log}.
     *
     * @param nodeId this node's id; a node that is not a voter of the configuration in force (one joining with an
     *               empty log, or removed) never campaigns
     * @param clusterId the cluster id stamped on every outgoing message and checked on every incoming one
     * @param membership the start membership, stored in the log on first start: in force until a snapshot or a
     *                   CONFIG entry of the log says otherwise
     * @param config protocol settings
     * @param log durable storage; the core writes through it synchronously
     * @param lastApplied the state machine's {@link io.raftbus.engine.spi.StateMachine#lastAppliedIndex()}: entries up
     *                    to it are committed and applied already, and are not handed out again
     * @param random the only source of randomness (election timeouts, pre-campaign numbers)
     * @param nowMs the current time on the caller's monotonic clock, in milliseconds
     */
    public RaftCore(String nodeId, String clusterId, Membership membership, RaftConfig config, LogAPI log,
                    long lastApplied, RandomGenerator random, long nowMs) {
        this(nodeId, clusterId, membership, config, log, null, lastApplied, random, nowMs);
    }

    /**
     * As the constructor without a store, with snapshots: {@code snapshots} (null: none) holds this node's snapshots,
     * read and written synchronously (chunks sent to and received from other nodes); {@code lastApplied} is at least
     * the log's compacted prefix ({@link LogAPI#snapshotMeta()}). Run {@link SnapshotRecovery#reconcile} first.
     *
     * @throws IllegalArgumentException a snapshot store with a log that cannot be compacted
     */
    public RaftCore(String nodeId, String clusterId, Membership membership, RaftConfig config, LogAPI log,
                    SnapshotStore snapshots, long lastApplied, RandomGenerator random, long nowMs) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(membership, "membership");
        this.config = Objects.requireNonNull(config, "config");
        this.log = Objects.requireNonNull(log, "log");
        this.random = Objects.requireNonNull(random, "random");
        this.configs = baseConfiguration(nodeId, membership, log, snapshots);
        this.inbound = new InboundFilter(nodeId, clusterId, configs,
                () -> role == Role.LEADER || heardFromLeaderRecently());
        this.electionTimer = new ElectionTimer(config.electionTimeoutMinMs(), config.electionTimeoutMaxMs(), random);

        Optional<Membership> stored = log.loadMembership();
        if (stored.isPresent() && !stored.get().equals(membership)) {
            throw new IllegalStateException("node " + nodeId + ": the log stores membership " + stored.get()
                    + " but the node was configured with " + membership + "; a log belongs to the cluster it was"
                    + " started in: start the node with the members it was first started with (later changes are"
                    + " in its log), or with a fresh log");
        }
        this.termAndVote = new TermAndVote(log);
        this.logView = new LogView(log, configs);
        this.snapshots = snapshots;
        if (snapshots != null) {
            requireCompaction(nodeId, log);
        }
        this.messages = new Messages(clusterId, nodeId, termAndVote);
        this.outbox = new Outbox(nodeId);
        this.forwarding = new Forwarding(nodeId, config, messages, outbox, outcomes, pending, logView);
        long last = logView.lastIndex();
        if (lastApplied < 0 || lastApplied > last) {
            throw new IllegalStateException("node " + nodeId + ": the state machine reports last applied index "
                    + lastApplied + " but the log ends at index " + last + "; the state machine and the log do not"
                    + " belong together (was the log replaced or truncated?)");
        }
        if (logView.snapshotIndex() > 0 && lastApplied < logView.snapshotIndex()) {
            throw new IllegalStateException("node " + nodeId + ": the state machine reports last applied index "
                    + lastApplied + " but the log is compacted through index " + logView.snapshotIndex() + "; restore"
                    + " the state machine from the latest snapshot first (SnapshotRecovery.reconcile)");
        }
        if (stored.isEmpty()) {
            log.saveMembership(membership);
        }
        this.commits = new CommitTracker(config, logView, pending, outcomes, outbox, messages, lastApplied);
        this.parts = new CoreParts(nodeId, configs, config, logView, termAndVote, messages, outbox, commits,
                outcomes, snapshots);
        scanConfigurations();
        this.snapshotPolicy = new SnapshotPolicy(config, configs::at,
                snapshots == null ? 0 : snapshots.latest().map(SnapshotInfo::index).orElse(0L));
        this.snapshotReceiver = new SnapshotReceiver(parts, snapshotPolicy, inbound);
        this.intake = new CommandIntake(parts, pending);
        if (nodeId.equals(termAndVote.votedFor())) { // whatever leaderAppendOverlapsSend: a crash between the
            // append and its ACCEPTED answer leaves the same hole (an entry this node holds, a request it forgot)
            intake.mayHaveLedBeforeRestart(termAndVote.term());
        }
        this.follower = new Follower(parts);
        this.voter = new Voter(parts, electionTimer);
        this.membershipChanges = new MembershipChanges(parts, pending);
        this.now = nowMs;
        if (configs.view().selfVoter() && configs.view().otherVoters().isEmpty()) {
            this.electionTimer.expireAt(nowMs); // nobody to wait for: a single node elects itself at the first tick
        } else {
            this.electionTimer.reset(nowMs);
        }
        this.reportedRole = role;
        this.reportedTerm = currentTerm();
        this.reportedLeader = leaderId;
        LOG.debug("{}: started in term {} (voted for {}), log ends at {}@{}, last applied {}", nodeId, currentTerm(),
                termAndVote.votedFor(), logView.lastIndex(), logView.lastTerm(), lastApplied);
    }

    // ------------------------------------------------------------------------------------------------ public API

    /**
     * Advances the core's clock to {@code nowMs} (monotonic; never earlier than before) without firing any timer.
     * A runtime whose thread was stalled (a slow fsync, a GC pause) calls this, then hands in the messages that queued
     * meanwhile, then calls {@link #tick(long)}: answers waiting in the queue count as heard before CheckQuorum or an
     * election timer judges the silence, so a leader does not depose itself for its own stall.
     */
    public void advanceClock(long nowMs) {
        if (nowMs < now) {
            throw new IllegalArgumentException("time went backwards: " + nowMs + " < " + now);
        }
        now = nowMs;
    }

    /** Advances the core's clock to {@code nowMs} (monotonic; never earlier than before) and fires due timers. */
    public void tick(long nowMs) {
        advanceClock(nowMs);
        flushBuffered();
        forwarding.expire(now);
        if (role == Role.LEADER) {
            if (!leader.tick(now)) {
                becomeFollower(currentTerm(), null); // CheckQuorum: no majority heard from
            }
        } else if (electionTimer.expired(now) && mayCampaign()) {
            startElection();
        }
        leaderHousekeeping();
    }

    /**
     * The earliest time at which {@link #tick} or {@link #ready()} has time-driven work: the election timeout (not
     * leading), or the leader's heartbeat, CheckQuorum and transfer deadlines and, while a follower is owed the commit
     * index, its notice's ({@link RaftConfig#commitNoticeDelayMs()}); and the deadlines of local proposals
     * ({@link RaftConfig#commandTimeoutMs()}) and of forwards awaiting the leader's answer. Nothing changes by itself
     * before then, so a runtime may sleep until it (or until an input arrives); it may be in the past, meaning
     * "now". Any input, tick or ready() may move it, earlier too: ask again after each. A pure query: it draws no
     * random number and changes nothing.
     */
    public long nextDeadline() {
        long next = Math.min(outcomes.nextDeadline(), forwarding.nextDeadline());
        long election = mayCampaign() ? electionTimer.deadline() : Long.MAX_VALUE;
        return Math.min(next, role == Role.LEADER ? leader.nextDeadline() : election);
    }

    /** Handles one inbound message. Messages for another cluster, or not addressed to this node, are counted. */
    public void receive(RaftMessage message) {
        Objects.requireNonNull(message, "message");
        if (!inbound.admit(message)) {
            if (role == Role.LEADER && inbound.campaignFromFormerMember(message)) {
                leader.farewellAgain(message); // dropped all the same: a removed node cannot disrupt (§4.2.3)
            }
            return;
        }
        if (!(message instanceof CommandRequest || message instanceof CommandResponse)) {
            // protocol messages may change role or term: commands accepted so far are appended first, in this term.
            // Client commands never change either, so consecutive ones share one group commit.
            flushBuffered();
        }
        if (!applyTermRule(message)) {
            return;
        }
        if (message instanceof AppendEntriesRequest m) {
            onAppendEntries(m);
        } else if (message instanceof AppendEntriesResponse m) {
            onAppendEntriesResponse(m);
        } else if (message instanceof VoteRequest m) {
            voter.onVoteRequest(m, now);
        } else if (message instanceof VoteResponse m) {
            onVoteResponse(m);
        } else if (message instanceof PreVoteRequest m) {
            voter.onPreVoteRequest(m, role == Role.LEADER || heardFromLeaderRecently());
        } else if (message instanceof PreVoteResponse m) {
            onPreVoteResponse(m);
        } else if (message instanceof CommandRequest m) {
            intake.onRequest(m, leader, leaderId);
        } else if (message instanceof CommandResponse m) {
            forwarding.onResponse(m, commits.lastApplied(), commits.lastAppliedTerm());
        } else if (message instanceof TimeoutNow m) {
            onTimeoutNow(m);
        } else if (message instanceof InstallSnapshotRequest m) {
            onInstallSnapshot(m);
        } else if (message instanceof InstallSnapshotResponse m) {
            onInstallSnapshotResponse(m);
        }
        leaderHousekeeping();
    }

    /**
     * Sets the hook that rewrites each command as this node, while leading, appends it (client sessions stamp their
     * log time); null, the default, appends commands verbatim. Set it before the first input.
     */
    public void commandStamper(CommandStamper stamper) {
        intake.stamper(stamper);
    }

    /**
     * Where a leader hands messages it sends before its next {@link #ready()}: with
     * {@link RaftConfig#leaderAppendOverlapsSend()}, the AppendEntries of a new batch of commands (and every message
     * queued before them, in order) go to {@code sink} before the batch is appended to this node's log, so the
     * leader's write overlaps the send; {@code sink} must not block (queue the message, as a transport does) and must
     * not call back into the core. Such messages are not in any {@link Ready}. Null, the default, or the option off:
     * every message comes in a Ready, after the writes it depends on. Set it before the first input.
     */
    public void earlySendSink(Consumer<RaftMessage> sink) {
        outbox.sink(config.leaderAppendOverlapsSend() ? sink : null);
    }

    /**
     * Proposes a client command. On the leader the command is appended (durably) and replicated; on a follower it
     * is forwarded to the leader if so configured. The outcome arrives later through {@link #ready()} as a
     * {@link Waiter.Local} of an entry in {@link Ready#committed()}, or as a {@link ProposalFailure}.
     *
     * <p>On the leader, commands are buffered and appended together in one LogAPI call (group commit) at the next
     * {@link #ready()}, {@link #tick(long)}, or {@link #receive(RaftMessage)} of a Raft protocol message (client
     * commands arriving meanwhile join the same group).
     *
     * @param proposalId the caller's id for this proposal, unique on this node
     * @throws io.raftbus.engine.NotLeaderException not the leader and not forwarding (or no leader known)
     * @throws io.raftbus.engine.BackpressureException too many commands pending
     * @throws io.raftbus.engine.CommandTooLargeException command larger than allowed
     */
    public void submit(long proposalId, byte[] command) {
        Objects.requireNonNull(command, "command");
        if (command.length > config.maxCommandBytes()) {
            throw new CommandTooLargeException("command of " + command.length + " bytes exceeds maxCommandBytes ("
                    + config.maxCommandBytes() + ")");
        }
        if (role == Role.LEADER) {
            leader.refuseWhileTransferring();
            intake.submitLocal(proposalId, command);
        } else if (!configs.view().isMember(nodeId)) {
            // removed (or not yet added): a leader that forgot this node would not remember its refusal, and a
            // network duplicate could then be appended after this node was told "not applied"
            throw new NotLeaderException(nodeId, leaderId);
        } else {
            forwarding.forward(proposalId, command, false, leaderId, now);
        }
        outcomes.track(proposalId, now + config.commandTimeoutMs(), false);
    }

    /**
     * Proposes a linearizable read: {@code query} for the state machine, served without a log entry (ReadIndex,
     * thesis §6.4). On the leader it is served, through {@link #ready()} as a {@link ReadyRead}, once a majority has
     * confirmed this node still leads after the read arrived and the state machine has applied every entry
     * committed by then. On a follower it is forwarded to the leader, whose answer comes as a {@link ReadAnswer}.
     * A read that cannot be served fails with {@link io.raftbus.engine.ReadNotServedException} (always safe to
     * retry).
     *
     * @throws NotLeaderException not the leader and not forwarding (or no leader known, or handing leadership over)
     * @throws io.raftbus.engine.BackpressureException too many reads waiting
     */
    public void submitRead(long proposalId, byte[] query) {
        Objects.requireNonNull(query, "query");
        if (role == Role.LEADER) {
            leader.submitRead(proposalId, query);
        } else {
            forwarding.forward(proposalId, query, true, leaderId, now);
        }
        outcomes.track(proposalId, now + config.commandTimeoutMs(), true);
    }

    /**
     * Hands leadership to {@code target}, or if null to the follower most likely to take over at once (the most
     * up-to-date one heard from within two heartbeats, else within an election timeout), as in Ongaro's thesis
     * §3.10. Meanwhile new commands are refused with
     * {@link NotLeaderException} (commands already accepted are appended first). Once the target's log matches this
     * one, it is told with a {@link TimeoutNow} to campaign at once; its vote request carries
     * {@link VoteRequest#leadershipTransfer()}, so voters still in touch with this leader grant it. A transfer that
     * has not completed within the maximum election timeout is abandoned, and this node leads on.
     *
     * @return the follower chosen
     * @throws NotLeaderException if this node is not the leader
     * @throws IllegalArgumentException if {@code target} is not another voting member
     * @throws IllegalStateException in a single-node cluster, or (target null) if no follower was heard from
     *                               within an election timeout
     */
    public String transferLeadership(String target) {
        if (role != Role.LEADER) {
            throw new NotLeaderException(nodeId, leaderId);
        }
        List<String> otherVoters = configs.view().otherVoters();
        if (otherVoters.isEmpty()) {
            throw new IllegalStateException("node " + nodeId + " is the only voter: no one to hand leadership to");
        }
        if (target != null && !otherVoters.contains(target)) {
            throw new IllegalArgumentException("cannot hand leadership to " + target + ": not another voting member"
                    + " of " + configs.latest().voters());
        }
        flushBuffered();
        if (role != Role.LEADER) {
            throw new NotLeaderException(nodeId, leaderId);
        }
        return leader.startTransfer(target, now);
    }

    /**
     * Proposes a single-server membership change (thesis §4.1): one CONFIG entry, in force on each node as soon as it
     * is appended there. The outcome arrives through {@link #ready()} like a command's: a {@link Waiter.Local} on the
     * committed CONFIG entry (for {@link MembershipChange.Kind#ADD_MEMBER}, on the promotion that follows once the
     * learner has caught up), or a {@link ProposalFailure}, within {@link RaftConfig#commandTimeoutMs()}.
     *
     * @throws NotLeaderException not the leader (naming the leader if known), or handing leadership over
     * @throws io.raftbus.engine.MembershipChangeRefusedException not now: another change is uncommitted, this leader
     *         has not committed an entry of its term yet, or the learner to promote is behind; retriable
     * @throws io.raftbus.engine.InvalidMembershipChangeException never as asked (unknown node, already a member,
     *         the last voter)
     */
    public void changeMembership(long proposalId, MembershipChange change) {
        Objects.requireNonNull(change, "change");
        if (role == Role.LEADER) {
            flushBuffered(); // commands accepted before the change are appended before it
        }
        if (role != Role.LEADER) {
            throw new NotLeaderException(nodeId, leaderId);
        }
        membershipChanges.propose(proposalId, change, leader, now);
        outcomes.track(proposalId, now + config.commandTimeoutMs(), false);
    }

    /** The configuration in force on this node: the latest in its log (committed or not). */
    public Membership membership() {
        return configs.latest();
    }

    /** Tests only: lets a leader propose a change before committing an entry of its term (the known bug). */
    void unsafeSkipTermCommitRule(boolean skip) {
        membershipChanges.unsafeSkipTermCommitRule = skip;
    }

    /** Whether a leadership transfer started by {@link #transferLeadership} is under way. */
    public boolean isTransferringLeadership() {
        return leader != null && leader.state().transferring();
    }

    /**
     * Drains the effects produced since the last call. Committed entries come in chunks of at most
     * {@link RaftConfig#maxBytesPerAppend()} (at least one entry); while {@link #hasCommittedToHandOut()} is true
     * the caller should call again soon, without waiting for the next event.
     */
    public Ready ready() {
        flushBuffered();
        if (role == Role.LEADER) {
            // read the log, so before anything is handed out: a LogException loses nothing
            leader.startReadRoundIfNeeded();
            leader.sendCommitNotices(now); // at the end of the step: what no AppendEntries of it carried
        }
        CommittedEntries committed = commits.handOut(leaderId);
        if (role == Role.LEADER) {
            leader.serveConfirmedReads(); // in memory only: cannot throw after the hand-out
        }
        committed = outcomes.settle(committed); // in memory only, as everything below
        expireLocalProposals();
        SnapshotRequest snapshotToTake = null;
        if (snapshots != null) {
            snapshotPolicy.applied(committed);
            snapshotToTake = snapshotPolicy.next(commits.lastApplied(), commits.lastAppliedTerm(), now,
                    role == Role.LEADER && leader.sendingSnapshot(now));
        }
        configs.forgetThrough(commits.lastApplied());
        SnapshotInfo restore = snapshotToRestore;
        snapshotToRestore = null;
        boolean statusChanged = role != reportedRole || currentTerm() != reportedTerm
                || !Objects.equals(leaderId, reportedLeader);
        if (outbox.isEmpty() && committed.isEmpty() && outcomes.isEmpty() && !statusChanged && restore == null
                && snapshotToTake == null) {
            return Ready.EMPTY;
        }
        reportedRole = role;
        reportedTerm = currentTerm();
        reportedLeader = leaderId;
        return outcomes.drainInto(outbox.drain(), committed, statusChanged, restore, snapshotToTake);
    }

    /** Whether committed entries remain that {@link #ready()} has not handed out yet. */
    public boolean hasCommittedToHandOut() {
        return commits.hasToHandOut();
    }

    /**
     * This node's current status. {@code lastApplied} is the last index handed out through {@link #ready()} (the
     * runtime applies what it is handed before asking again).
     */
    public RaftStatus status() {
        Membership current = configs.latest();
        RaftStatus last = lastStatus;
        boolean sameMatches = last != null && matchesUnchanged(last.matchIndex());
        if (sameMatches && last.role() == role && last.term() == currentTerm()
                && Objects.equals(last.leaderId(), leaderId) && last.commitIndex() == commits.commitIndex()
                && last.lastApplied() == commits.lastApplied() && last.lastLogIndex() == logView.lastIndex()
                && last.snapshotIndex() == snapshotPolicy.latestIndex() && last.firstLogIndex() == logView.firstIndex()
                && current == lastStatusMembership) {
            return last; // nothing changed: an idle node's loop publishes its status without allocating
        }
        // a follower's (none) or unchanged match indexes are the last status's immutable map, kept as is
        Map<String, Long> matches = sameMatches ? last.matchIndex() : matchIndexes();
        lastStatus = new RaftStatus(nodeId, role, currentTerm(), leaderId, commits.commitIndex(),
                commits.lastApplied(), logView.lastIndex(), matches, snapshotPolicy.latestIndex(),
                logView.firstIndex(), current.voters(), current.learners());
        lastStatusMembership = current;
        return lastStatus;
    }

    /**
     * The followers' match indexes as an immutable map (none unless leading), built directly: the status keeps it
     * without copying ({@link RaftStatus} copies only a mutable map).
     */
    private Map<String, Long> matchIndexes() {
        if (role != Role.LEADER) {
            return Map.of();
        }
        FollowerProgress[] followers = leader.state().followers();
        switch (followers.length) {
            case 0:
                return Map.of();
            case 1:
                return Map.of(followers[0].id, followers[0].match);
            case 2:
                return Map.of(followers[0].id, followers[0].match, followers[1].id, followers[1].match);
            default:
                @SuppressWarnings("unchecked")
                Map.Entry<String, Long>[] entries = new Map.Entry[followers.length];
                for (int i = 0; i < followers.length; i++) {
                    entries[i] = Map.entry(followers[i].id, followers[i].match);
                }
                return Map.ofEntries(entries);
        }
    }

    /** Whether the followers' match indexes are those of {@code matches} (none unless leading). */
    private boolean matchesUnchanged(Map<String, Long> matches) {
        if (role != Role.LEADER) {
            return matches.isEmpty();
        }
        int followers = 0;
        for (FollowerProgress pr : leader.state().followers()) {
            Long match = matches.get(pr.id);
            if (match == null || match != pr.match) {
                return false;
            }
            followers++;
        }
        return followers == matches.size();
    }

    /**
     * Counts of inbound messages dropped, by cause (for example {@code "foreign-cluster"}, {@code "wrong-receiver"},
     * {@code "non-member"}, {@code "stale-snapshot-chunk"}, {@code "foreign-snapshot-chunk"}).
     */
    public Map<String, Long> dropCounts() {
        return inbound.dropCounts();
    }

    /** How many inbound messages were dropped in all (the sum of {@link #dropCounts()}): cheap, to see a change. */
    public long dropped() {
        return inbound.dropped();
    }

    // ------------------------------------------------------------------------------------------------ membership

    /**
     * The configuration to start from: the latest snapshot's membership if the store holds one the log continues
     * from, else {@code start} (the log's CONFIG entries after it are added by {@link #scanConfigurations}).
     */
    private static Configurations baseConfiguration(String nodeId, Membership start, LogAPI log,
                                                    SnapshotStore snapshots) {
        Optional<SnapshotInfo> latest = snapshots == null ? Optional.empty() : snapshots.latest();
        if (latest.isPresent() && latest.get().index() >= log.snapshotMeta().index()) {
            return new Configurations(nodeId, latest.get().index(), latest.get().membership());
        }
        return new Configurations(nodeId, log.snapshotMeta().index(), start);
    }

    /**
     * Adds the log's CONFIG entries after the base configuration, at start ({@link LogAPI#configEntries}: one pass
     * over the log by default, an indexed query on a log that has one).
     */
    private void scanConfigurations() {
        long from = Math.max(logView.firstIndex(), configs.latestIndex() + 1);
        if (from <= logView.lastIndex()) {
            configs.appended(logView.configEntries(from));
        }
    }

    /**
     * After every input, as leader: followers follow the configuration, an addMember's learner is promoted once it
     * caught up, and a leader whose removal committed hands leadership to an up-to-date voter (the transfer path),
     * then steps down (at once if no voter was heard from, or once the hand-over ended without a new leader).
     */
    private void leaderHousekeeping() {
        if (role != Role.LEADER) {
            return;
        }
        leader.syncFollowers(now);
        membershipChanges.maybePromote(leader, now);
        if (configs.view().selfVoter() || configs.latestIndex() > commits.commitIndex()) {
            return; // a voter, or its removal is not committed yet
        }
        LeaderState state = leader.state();
        if (state.transferring()) {
            return;
        }
        if (!state.removalHandOverStarted()) {
            state.startRemovalHandOver();
            String target = leader.bestVoterHeardFrom(now);
            if (target != null) {
                LOG.info("{}: removed from the configuration (committed); handing leadership to {}", nodeId, target);
                leader.startTransfer(target, now);
                return;
            }
        }
        LOG.info("{}: removed from the configuration (committed); stepping down in term {}", nodeId, currentTerm());
        becomeFollower(currentTerm(), null);
    }

    // ------------------------------------------------------------------------------------------------- snapshots

    /**
     * The snapshot the host took for a {@link SnapshotRequest} is durable in the store: the log is compacted up to
     * {@link RaftConfig#logTrailingEntries()} before its index. A snapshot older than the log's compacted prefix
     * changes nothing.
     */
    public void snapshotTaken(SnapshotInfo snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        requireSnapshotStore();
        if (snapshot.index() > commits.lastApplied()) {
            throw new IllegalArgumentException("node " + nodeId + ": snapshot at index " + snapshot.index()
                    + " is ahead of the last applied index " + commits.lastApplied());
        }
        snapshotPolicy.taken(snapshot.index());
        long through = snapshot.index() - config.logTrailingEntries();
        if (through > logView.snapshotIndex()) {
            logView.compactPrefix(through);
            LOG.debug("{}: snapshot at {} is durable; log compacted through {}", nodeId, snapshot.index(), through);
        }
    }

    /** The snapshot the host was asked for at {@code index} failed ({@code why}); a later one will be tried. */
    public void snapshotFailed(long index, String why) {
        requireSnapshotStore();
        if (snapshotPolicy.failed(index, now)) {
            LOG.warn("{}: snapshot at index {} failed ({}); trying again after {} ms or {} more entries", nodeId,
                    index, why, config.electionTimeoutMaxMs(), config.snapshotEveryEntries());
        }
    }

    /**
     * Asks for a snapshot now (on demand): the next {@link #ready()} carries a {@link SnapshotRequest} at the last
     * applied index (then). Returns the last applied index now, or 0 if nothing was applied since the latest
     * snapshot or a snapshot is being taken already (nothing is asked for).
     *
     * @throws IllegalStateException this node has no snapshot store
     */
    public long requestSnapshot() {
        requireSnapshotStore();
        return snapshotPolicy.requestNow(commits.lastApplied()) ? commits.lastApplied() : 0;
    }

    /**
     * Snapshots need a log that can be compacted and reset to a snapshot: compacting through its own compacted
     * prefix does nothing on such a log (LogAPI contract) and throws on one that cannot.
     */
    private static void requireCompaction(String nodeId, LogAPI log) {
        try {
            log.compactPrefix(log.snapshotMeta().index(), log.snapshotMeta().term());
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("node " + nodeId + " has a snapshot store but its log "
                    + log.getClass().getSimpleName() + " cannot be compacted; run it without a snapshot store", e);
        }
    }

    private void requireSnapshotStore() {
        if (snapshots == null) {
            throw new IllegalStateException("node " + nodeId + " has no snapshot store: it takes no snapshots");
        }
    }

    /**
     * A snapshot chunk. One of an earlier term is dropped (counted {@code "stale-snapshot-chunk"}) and answered with
     * this term, so its sender learns it no longer leads; one of this term comes from its leader: leader contact,
     * and the chunk goes to the {@link SnapshotReceiver}.
     */
    private void onInstallSnapshot(InstallSnapshotRequest req) {
        if (req.term() < currentTerm()) {
            inbound.count("stale-snapshot-chunk", req);
            send(messages.installSnapshotResponse(req.from(), req, 0, false, 0, 0));
            return;
        }
        if (role == Role.LEADER) {
            LOG.error("{}: two leaders in term {}: {} also sends snapshot chunks; ignoring it", nodeId, currentTerm(),
                    req.from());
            return;
        }
        if (role != Role.FOLLOWER || !req.from().equals(leaderId)) {
            becomeFollower(currentTerm(), req.from());
        }
        lastLeaderContactAt = now;
        electionTimer.reset(now);
        SnapshotInfo installed = snapshotReceiver.onChunk(req);
        if (installed != null) {
            snapshotToRestore = installed;
        }
    }

    private void onInstallSnapshotResponse(InstallSnapshotResponse r) {
        if (role != Role.LEADER || r.term() != currentTerm()) {
            return;
        }
        leader.onInstallSnapshotResponse(r, now);
    }

    // -------------------------------------------------------------------------------------------------- term rule

    /**
     * Raft's term rule: a message from a higher term makes this node a follower in that term (durably) before
     * anything else. PreVote requests and granted PreVote responses carry a prospective term and change nothing.
     * A VoteRequest arriving while this node believes in a live leader (the CheckQuorum lease) is ignored entirely.
     *
     * @return whether the message should be handled further
     */
    private boolean applyTermRule(RaftMessage m) {
        if (m instanceof CommandRequest || m instanceof CommandResponse) {
            return true;
        }
        if (m.term() <= currentTerm()) {
            return true;
        }
        if (m instanceof PreVoteRequest || (m instanceof PreVoteResponse r && r.granted())) {
            return true;
        }
        if (m instanceof VoteRequest v && !v.leadershipTransfer() && inLeaderLease()) {
            LOG.debug("{}: ignoring vote request of {} for term {}: a leader is live (lease)", nodeId, m.from(),
                    m.term());
            return false;
        }
        // a vote this node will grant is saved with the new term: one durable write, not two
        String vote = m instanceof VoteRequest v && isUpToDate(v.lastLogIndex(), v.lastLogTerm()) ? m.from() : null;
        becomeFollower(m.term(), m instanceof AppendEntriesRequest || m instanceof InstallSnapshotRequest ? m.from()
                : null, vote);
        return true;
    }

    /** With CheckQuorum, a live leader is known (or this node is it), so a vote request would only disrupt. */
    private boolean inLeaderLease() {
        return config.checkQuorum() && (role == Role.LEADER || heardFromLeaderRecently());
    }

    private boolean heardFromLeaderRecently() {
        return leaderId != null && lastLeaderContactAt != Long.MIN_VALUE
                && now - lastLeaderContactAt < config.electionTimeoutMinMs();
    }

    // ------------------------------------------------------------------------------------------------- elections

    /**
     * Whether this node campaigns when its election timer expires: as a voter of the configuration in force, or as a
     * voter of the configuration before it while the one in force, which removes it, is not committed yet (with one
     * change at a time, the one before is committed). A node whose removal is appended but not committed may still
     * be needed to elect a leader: in a cluster of two, a leader that appended its own removal and crashed holds the
     * longer log, so the other voter cannot win without it; campaigning in the configuration in force (its own vote
     * not counted), it can win, commit its removal and step down. A joining node (a voter of no configuration it
     * knows) and a node that knows its removal committed never campaign.
     */
    private boolean mayCampaign() {
        ConfigView view = configs.view();
        if (view.selfVoter()) {
            return true;
        }
        long latest = configs.latestIndex();
        return latest > commits.commitIndex() && configs.at(latest - 1).voters().contains(nodeId);
    }

    private void startElection() {
        if (configs.view().otherVoters().isEmpty() || !config.preVote()) {
            becomeCandidate(false);
        } else {
            becomePreCandidate();
        }
    }

    /**
     * The leader of this term hands leadership here (thesis §3.10): campaign now, without PreVote, with the transfer
     * flag so that voters in touch with that leader still vote. A stale or repeated one (another term, or no longer
     * a follower) changes nothing.
     */
    private void onTimeoutNow(TimeoutNow m) {
        if (m.term() != currentTerm() || role != Role.FOLLOWER || !configs.view().selfVoter()) {
            return;
        }
        LOG.info("{}: {} hands leadership over; campaigning in term {}", nodeId, m.from(), currentTerm() + 1);
        becomeCandidate(true);
    }

    /** Election timeout with PreVote: asks the other voters whether they would vote, without changing the term. */
    private void becomePreCandidate() {
        role = Role.PRE_CANDIDATE;
        leaderId = null;
        electionTimer.reset(now);
        candidate = CandidateState.preCampaign(nodeId, configs.view().selfVoter(), nonZero(random));
        long preCampaignNumber = candidate.preCampaignNumber();
        LOG.debug("{}: pre-election {} for term {}", nodeId, preCampaignNumber, currentTerm() + 1);
        for (String peer : configs.view().otherVoters()) {
            send(messages.preVoteRequest(peer, currentTerm() + 1, logView.lastIndex(), logView.lastTerm(),
                    preCampaignNumber));
        }
    }

    /**
     * Campaigns in the next term, voting for itself (one durable write) and asking the other voters for theirs;
     * {@code leadershipTransfer}: asked to by the leader, so voters in touch with it still vote.
     */
    private void becomeCandidate(boolean leadershipTransfer) {
        long term = currentTerm() + 1;
        termAndVote.save(term, nodeId);
        snapshotReceiver.abort();
        role = Role.CANDIDATE;
        leaderId = null;
        candidate = CandidateState.campaign(nodeId, configs.view().selfVoter());
        electionTimer.reset(now);
        LOG.debug("{}: campaigning in term {}", nodeId, term);
        if (configs.view().quorum().isReachedBy(candidate.grantCount())) {
            becomeLeader();
            return;
        }
        for (String peer : configs.view().otherVoters()) {
            send(messages.voteRequest(peer, logView.lastIndex(), logView.lastTerm(), leadershipTransfer));
        }
    }

    private void onPreVoteResponse(PreVoteResponse r) {
        if (role != Role.PRE_CANDIDATE || !r.granted() || r.term() != currentTerm() + 1
                || !candidate.answersThisPreCampaign(r.preCampaignNumber())) {
            return;
        }
        if (configs.view().quorum().isReachedBy(candidate.grant(r.from()))) {
            becomeCandidate(false);
        }
    }

    /** A random pre-campaign number; 0 is taken by peers that do not echo, so it becomes 1 (no loop on a stub). */
    private static long nonZero(RandomGenerator random) {
        long n = random.nextLong();
        return n == 0 ? 1 : n;
    }

    private void onVoteResponse(VoteResponse r) {
        if (role != Role.CANDIDATE || r.term() != currentTerm() || !r.granted()) {
            return;
        }
        if (configs.view().quorum().isReachedBy(candidate.grant(r.from()))) {
            becomeLeader();
        }
    }

    /** §5.4.1: a log is at least as up to date as ours if its last term is higher, or equal with an index >= ours. */
    private boolean isUpToDate(long candidateLastIndex, long candidateLastTerm) {
        return logView.isUpToDate(candidateLastIndex, candidateLastTerm);
    }

    private void becomeFollower(long term, String newLeader) {
        becomeFollower(term, newLeader, null);
    }

    /**
     * As {@link #becomeFollower(long, String)}; on a new term, {@code vote} is saved with it (null: no vote yet). A
     * leader stepping down drops its leader state, failing the reads waiting on it.
     */
    private void becomeFollower(long term, String newLeader, String vote) {
        if (term != currentTerm()) {
            termAndVote.save(term, vote);
        }
        Role previous = role;
        role = Role.FOLLOWER;
        leaderId = newLeader;
        candidate = null;
        if (previous == Role.LEADER) {
            Leader former = leader;
            leader = null;
            readRound = former.state().readRound();
            String why = "it is no longer the leader (now " + Role.FOLLOWER + " in term " + term + ")";
            former.failReads(why, leaderId);
            membershipChanges.leadershipLost(former.state(), "leader " + nodeId + " stepped down: " + why);
            electionTimer.reset(now);
        }
        if (previous != Role.FOLLOWER) {
            LOG.debug("{}: {} -> FOLLOWER in term {} (leader {})", nodeId, previous, currentTerm(), newLeader);
        }
    }

    /** Won the election: appends this term's no-op durably, then leads with a fresh {@link LeaderState}. */
    private void becomeLeader() {
        LogEntry noop = new LogEntry(logView.lastIndex() + 1, currentTerm(), EntryType.NOOP, NO_BYTES);
        logView.append(List.of(noop));
        role = Role.LEADER;
        leaderId = nodeId;
        candidate = null;
        leader = new Leader(parts, new LeaderState(noop.index(), Leader.replicationTargets(parts),
                config.maxInflightAppends(),
                now + config.heartbeatIntervalMs(), now + config.electionTimeoutMinMs(), readRound));
        LOG.debug("{}: became LEADER of term {} (no-op at {})", nodeId, currentTerm(), noop.index());
        leader.start(now);
    }

    // ---------------------------------------------------------------------------------------- follower: replication

    private void onAppendEntries(AppendEntriesRequest req) {
        if (req.term() < currentTerm()) {
            // tells the sender of a newer term; no read round is echoed: this answer proves nothing to the leader
            // of the current term (the same node may lead it, with round numbers restarted)
            send(messages.appendOfEarlierTerm(req.from(), req.prevLogIndex(), logView.lastIndex()));
            return;
        }
        if (role == Role.LEADER) {
            LOG.error("{}: two leaders in term {}: {} also sends AppendEntries; ignoring it", nodeId, currentTerm(),
                    req.from());
            return;
        }
        if (role != Role.FOLLOWER || !req.from().equals(leaderId)) {
            becomeFollower(currentTerm(), req.from());
        }
        lastLeaderContactAt = now;
        electionTimer.reset(now);
        follower.onAppendEntries(req);
    }

    // ------------------------------------------------------------------------------------------ leader: replication

    private void onAppendEntriesResponse(AppendEntriesResponse r) {
        if (role != Role.LEADER || r.term() != currentTerm()) {
            return;
        }
        leader.onAppendEntriesResponse(r, now);
    }

    // ---------------------------------------------------------------------------------------------- client commands

    /**
     * Group commit of the commands accepted so far (see {@link CommandIntake#flush}); a leader whose append failed
     * after it sent the batch steps down (same term, no leader).
     */
    private void flushBuffered() {
        if (intake.flush(leader, leaderId, now)) {
            LOG.warn("{}: stepping down in term {}: its followers may hold a batch its own log failed to append",
                    nodeId, currentTerm());
            becomeFollower(currentTerm(), null);
        }
    }

    /**
     * Local proposals still without an outcome at their deadline ({@link RaftConfig#commandTimeoutMs()} after the
     * submit) fail now; whatever becomes of them later is dropped. A command may have been appended, so its outcome
     * is unknown; a read changed nothing.
     */
    private void expireLocalProposals() {
        for (ProposalDeadlines.Expired e : outcomes.expire(now)) {
            long id = e.proposalId();
            forwarding.forget(id);
            String why = role == Role.LEADER
                    ? "leader " + nodeId + " may have lost its majority (CheckQuorum " + (config.checkQuorum() ? "on"
                    : "off") + ")"
                    : "leader " + (leaderId == null ? "unknown" : leaderId) + " did not get it applied here in time";
            if (e.read()) {
                if (leader != null) {
                    leader.state().reads().remove(new Waiter.Local(id)); // only a leader holds reads
                }
                outcomes.fail(id, new ReadNotServedException("read not served within "
                        + config.commandTimeoutMs() + " ms (commandTimeoutMs): " + why + "; reading again is safe"));
            } else {
                outcomes.fail(id, new CommandOutcomeUnknownException("command not committed"
                        + " within " + config.commandTimeoutMs() + " ms (commandTimeoutMs): " + why + "; it may have"
                        + " been appended and may still be applied"));
            }
        }
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private long currentTerm() {
        return termAndVote.term();
    }

    private void send(RaftMessage m) {
        outbox.send(m);
    }
}
