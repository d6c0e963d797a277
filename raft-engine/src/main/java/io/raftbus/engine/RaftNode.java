package io.raftbus.engine;

import io.raftbus.engine.core.CommandStamper;
import io.raftbus.engine.core.MembershipChange;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.core.SnapshotRecovery;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.session.CountingSessionStateMachine;
import io.raftbus.engine.session.LogTimeStamper;
import io.raftbus.engine.session.SessionStateMachine;
import io.raftbus.engine.session.SessionStats;
import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotMeta;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.trace.NodeTrace;
import io.raftbus.engine.trace.TraceEvent;
import io.raftbus.engine.trace.TraceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One member of a raftbus cluster: the Raft protocol core driven by a single event-loop thread, over the
 * application's {@link Transport}, {@link LogAPI} and {@link StateMachine}. Build with {@link #builder()}, then
 * {@link #start()}; {@link #close()} when done.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@code raftbus-<nodeId>}: the event loop, the only thread that touches the protocol core, the log and the
 *       state machine ({@link StateMachine#apply} runs here, in index order). It wakes on every inbound message or
 *       submit, and otherwise only when the protocol next needs time (a heartbeat, an election timeout, a command's
 *       timeout): an idle node does not poll. All submits queued at that moment are proposed together, so they
 *       reach the log in one append (group commit).</li>
 *   <li>{@code raftbus-<nodeId>-callbacks}: completes the futures returned by {@link #submit(byte[])} and calls
 *       {@link RaftListener}s. Dependent stages attached to those futures run here (unless attached after
 *       completion), so user code never runs on, or stalls, the event loop (unless
 *       {@link RaftConfig#completeOnEventLoop()} is on: then the loop completes submit and read futures itself, and
 *       their dependents run there); a slow callback only delays other callbacks of this node. Never block that
 *       thread waiting for another future of the same node (for example {@code submit(x).join()} inside a
 *       callback): only that thread can deliver its outcome. {@code get}, {@code join} and {@code get(timeout)}
 *       on a future this node returned (submit, read, transfer, membership change, snapshot), not yet done, throw
 *       {@link IllegalStateException} there at once rather than wait forever (a timed {@code get} too, rather than
 *       wait out its timeout); a future already done returns, and another node's future may be waited on. Chain
 *       instead ({@code thenCompose}, {@code whenComplete}). Blocking on a <em>derived</em> future
 *       ({@code submit(x).thenApply(f).join()}, {@code allOf}, {@code copy()}) there is not caught and still hangs
 *       that node's callbacks for good.</li>
 *   <li>the caller's own thread, for a {@link #submit(byte[])} or {@link #read(byte[])} future a caller is blocked on
 *       ({@code get} or {@code join}): the event loop hands the outcome to the first such caller and wakes it, and
 *       that thread completes the future (running its dependent stages) before its {@code get}/{@code join}
 *       returns, one thread hand-off fewer than through the callback thread. The loop does so only when every
 *       outcome it decided earlier has been delivered, so futures still complete in the order of their outcomes;
 *       otherwise the callback thread completes it, in that order.</li>
 *   <li>{@code raftbus-<nodeId>-snapshot}, with a snapshot store only: writes snapshots the event loop captured
 *       ({@link StateMachine#captureSnapshot()}) into the store, so a large state never stalls the event loop.</li>
 * </ul>
 * Every public method is thread-safe.
 *
 * <h2>Ownership</h2>
 * The node takes ownership of the transport, the log and the snapshot store given to its builder: {@link #close()},
 * {@link #crash()} (or a fatal error) closes them. The state machine stays the caller's: the node never closes it.
 *
 * <h2>Snapshots</h2>
 * With a {@link SnapshotStore} ({@link Builder#snapshotStore}, or a {@link FileSnapshotStore} in
 * {@link Builder#snapshotDirectory}), the node snapshots its state machine as {@link RaftConfig} says (and on demand,
 * {@link #takeSnapshot()}), compacts its log behind the snapshot, sends the snapshot to followers too far behind,
 * and at start restores the state machine from the latest snapshot and replays only the log after it.
 *
 * <h2>Fatal errors</h2>
 * If the state machine throws while applying, that is an application bug: the node logs it and stops (it never
 * skips the entry), tells {@link RaftListener#onFatalError} and {@link #fatalError()}, fails every pending future
 * with a {@link RaftException} carrying the cause, and closes its transport and log. Later submits fail with
 * {@link NodeClosedException}. Fix the bug and build a new node. So does a log that fails permanently (a
 * {@link io.raftbus.engine.spi.LogException} whose {@code isPermanent()} is true: an I/O error or corruption after
 * which the log refuses every call until restarted; check the storage and build a new node), and an unexpected
 * exception from the protocol core. Any other {@code LogException} is transient and not fatal: the log is atomic,
 * so the core is left as before the failed call and the node carries on (the message that needed the write counts
 * as lost and Raft retries); such failures are logged at most once a second.
 */
public final class RaftNode implements AutoCloseable {

    /**
     * Bytes of a transport's message-size limit ({@link Transport#maxMessageBytes()}) reserved for everything in a
     * message besides entry payloads' counted size: the message's own fields (cluster id, node ids, term, indexes)
     * and the transport's encoding and framing. Entries' own overhead is counted by
     * {@link io.raftbus.engine.spi.LogEntry#sizeBytes()}. The node bounds AppendEntries at
     * {@code min(maxBytesPerAppend, maxMessageBytes - TRANSPORT_HEADROOM_BYTES)} entry bytes, and lowers
     * {@code maxCommandBytes} (with a warning) if a command of that size would not fit.
     */
    public static final long TRANSPORT_HEADROOM_BYTES = 16 * 1024;

    /** Most inbound messages queued for the event loop; beyond it the transport's messages are dropped and counted. */
    static final int MAX_QUEUED_INBOUND = 65_536;

    /** How long {@link #close()} waits for the event loop and for queued callbacks to finish. */
    static final long CLOSE_TIMEOUT_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

    private enum Lifecycle { NEW, RUNNING, FAILED, CLOSED, CRASHED }

    private final String nodeId;
    private final Set<String> members;
    private final String clusterId;
    private final RaftConfig config;
    private final Transport transport;
    private final LogAPI log;
    private final StateMachine stateMachine;
    /** Stamps log time on session commands this node appends as leader; null with sessions off. */
    private final CommandStamper commandStamper;
    /** The session table, counted; null with sessions off. */
    private final CountingSessionStateMachine sessions;
    private final long sessionIdleTimeoutMs;
    private final SnapshotStore givenSnapshotStore;
    private final Path snapshotDirectory;
    /** The snapshot store in use once started (the given one, or one opened in the directory); null for none. */
    private volatile SnapshotStore snapshots;
    private final LongSupplier clock;
    private final long randomSeed;
    private final EventQueue events;
    private final Callbacks callbacks;
    /**
     * Proposal ids double as the request ids of forwarded commands, which the leader deduplicates by (sender, id):
     * each incarnation starts at a random point (below 2^62, so it never wraps) so that ids do not repeat after a
     * restart, where a reused id could be mistaken for a duplicate or matched to a pre-restart answer.
     */
    private final AtomicLong proposalIds = new AtomicLong(new SplittableRandom().nextLong() >>> 2);
    private final Map<String, Long> runtimeDrops = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();
    private final CrashGate crashGate = new CrashGate();
    private final NodeMetrics metrics;
    /** Count the outcomes of submits and of reads; they also tell a future blocked on the callback thread. */
    private final NodeOutcomeCounter commandOutcomes;
    private final NodeOutcomeCounter readOutcomes;
    private final NodeTrace trace;

    private volatile Lifecycle lifecycle = Lifecycle.NEW;
    private volatile RaftException fatalError;
    private volatile NodeLoop loop;
    private Thread loopThread;

    private RaftNode(Builder b, RaftConfig effectiveConfig, LongSupplier clock) {
        this.nodeId = b.nodeId;
        this.members = Set.copyOf(b.members);
        this.clusterId = b.clusterId;
        this.config = effectiveConfig;
        this.transport = b.transport;
        this.log = b.log;
        boolean sessions = b.sessionIdleTimeoutMs > 0;
        this.sessions = sessions ? new CountingSessionStateMachine(new SessionStateMachine(b.stateMachine,
                b.sessionIdleTimeoutMs, b.sessionLimits)) : null;
        this.sessionIdleTimeoutMs = b.sessionIdleTimeoutMs;
        this.stateMachine = sessions ? this.sessions : b.stateMachine;
        this.commandStamper = sessions ? new LogTimeStamper(b.logTimeClock) : null;
        this.givenSnapshotStore = b.snapshotStore;
        this.snapshotDirectory = b.snapshotDirectory;
        this.clock = clock;
        this.randomSeed = b.randomSeed;
        this.events = new EventQueue(effectiveConfig.maxPendingCommands(), MAX_QUEUED_INBOUND);
        this.callbacks = new Callbacks(nodeId);
        this.metrics = new NodeMetrics(this::status, this::dropCounts, callbacks::isCallbackThread);
        this.commandOutcomes = new NodeOutcomeCounter(metrics.commandOutcome, callbacks);
        this.readOutcomes = new NodeOutcomeCounter(metrics.readOutcome, callbacks);
        this.trace = b.recentEvents == 0 ? NodeTrace.OFF : new NodeTrace(b.recentEvents);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether this node runs client sessions ({@link Builder#sessions}): every command must then be a
     * {@link io.raftbus.engine.session.SessionEnvelope}, best submitted through a
     * {@link io.raftbus.engine.session.SessionClient}.
     */
    public boolean sessionsEnabled() {
        return commandStamper != null;
    }

    /** The session idle timeout in ms of log time this node was built with ({@link Builder#sessions}); 0: off. */
    public long sessionIdleTimeoutMs() {
        return sessionIdleTimeoutMs;
    }

    /**
     * This node's client-session figures (open sessions, held results, registrations, expirations, refusals), read
     * from any thread; empty with sessions off. See {@link SessionStats}.
     */
    public Optional<SessionStats> sessionStats() {
        return sessions == null ? Optional.empty() : Optional.of(sessions.stats());
    }

    /** This node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** The cluster id. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * The members this node was started with (for a joining node, the cluster it joins). The configuration in force
     * now, after membership changes, is in {@link #status()}: {@link RaftStatus#voters()} and
     * {@link RaftStatus#learners()}.
     */
    public Set<String> members() {
        return members;
    }

    /**
     * The configuration the node runs with: the builder's, with {@code maxBytesPerAppend}, {@code maxCommandBytes}
     * and {@code snapshotChunkBytes} lowered to fit the transport if needed (see {@link #TRANSPORT_HEADROOM_BYTES}).
     */
    public RaftConfig config() {
        return config;
    }

    /**
     * Loads the node's durable state, starts the transport and the event loop. The node resumes applying after
     * {@link StateMachine#lastAppliedIndex()}, or with a snapshot store, after the latest snapshot if that is further:
     * it first makes the log agree with the store ({@link SnapshotRecovery}), then restores the state machine from
     * the snapshot ({@link StateMachine#restoreSnapshot}) unless it has applied as far already.
     *
     * @throws IllegalStateException if the node was already started or closed (a node cannot be restarted; build a
     *                               new one over the same log), its log does not begin at index 1 and it has no
     *                               snapshot store, or the log is compacted past the store's latest snapshot;
     *                               {@link UncheckedIOException} if the snapshot store cannot be opened or its latest
     *                               snapshot read; the node then closes its transport, log and snapshot store
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException("node " + nodeId + " was already started"
                        + (lifecycle == Lifecycle.RUNNING ? "" : " and has stopped; build a new RaftNode to restart"));
            }
            try {
                LogFailureWatch watchedLog = new LogFailureWatch(new TimedLog(log, metrics), crashGate);
                snapshots = openSnapshotStore();
                long lastApplied = snapshots == null ? refuseACompactedLog()
                        : restoreFromLatestSnapshot(watchedLog, snapshots);
                SnapshotStore gatedSnapshots = snapshots == null ? null : new GatedSnapshotStore(snapshots, crashGate);
                long now = clock.getAsLong();
                RaftCore core = new RaftCore(nodeId, clusterId, Membership.ofVoters(members), config, watchedLog,
                        gatedSnapshots, lastApplied, new SplittableRandom(randomSeed), now);
                core.commandStamper(commandStamper);
                NodeLoop nodeLoop = new NodeLoop(nodeId, clusterId, core, events, transport, watchedLog,
                        stateMachine, clock, config, callbacks, runtimeDrops, this::stopAfterFatalError, crashGate,
                        gatedSnapshots, now, metrics, trace);
                loop = nodeLoop;
                lifecycle = Lifecycle.RUNNING;
                transport.start(nodeId, this::onInbound);
                loopThread = new Thread(nodeLoop, "raftbus-" + nodeId);
                loopThread.setDaemon(true);
                loopThread.start();
            } catch (RuntimeException | Error e) {
                lifecycle = Lifecycle.CLOSED;
                releaseResources();
                throw e;
            }
            LOG.info("node {} started in cluster {} with members {}", nodeId, clusterId, members);
        }
    }

    /**
     * Without a snapshot store, a log that no longer begins at index 1 could leave a follower that needs the
     * discarded entries unservable, and this node a leader stuck on it: refused. Returns the state machine's last
     * applied index.
     */
    private long refuseACompactedLog() {
        long first = log.firstIndex();
        if (first > 1) {
            throw new IllegalStateException("node " + nodeId + ": its log begins at index " + first + " (the entries"
                    + " before it were compacted into a snapshot), but the node has no snapshot store, so it could"
                    + " neither rebuild its state nor bring a follower that needs those entries up to date; give it"
                    + " the snapshot store that holds that snapshot (RaftNode.Builder.snapshotStore or"
                    + " snapshotDirectory)");
        }
        return stateMachine.lastAppliedIndex();
    }

    /** The builder's store, or a {@link FileSnapshotStore} opened in its directory; null for none. */
    private SnapshotStore openSnapshotStore() {
        if (givenSnapshotStore != null || snapshotDirectory == null) {
            return givenSnapshotStore;
        }
        try {
            return FileSnapshotStore.open(snapshotDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + nodeId + ": cannot open the snapshot store in "
                    + snapshotDirectory, e);
        }
    }

    /**
     * Makes the log agree with the store, then restores the state machine from the latest snapshot unless it has
     * applied that far already; returns the index the state machine has applied.
     */
    private long restoreFromLatestSnapshot(LogAPI watchedLog, SnapshotStore store) {
        Optional<SnapshotInfo> latest = SnapshotRecovery.reconcile(nodeId, watchedLog, store);
        long applied = stateMachine.lastAppliedIndex();
        if (latest.isEmpty() || applied >= latest.get().index()) {
            return applied;
        }
        SnapshotInfo snapshot = latest.get();
        long started = System.nanoTime();
        try (InputStream in = store.open(snapshot)) {
            stateMachine.restoreSnapshot(snapshot, in);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + nodeId + ": cannot restore the state machine from the snapshot"
                    + " at index " + snapshot.index() + " in " + store, e);
        }
        LOG.info("node {}: state machine restored from the snapshot at index {} ({} bytes, {} ms)", nodeId,
                snapshot.index(), snapshot.sizeBytes(), (System.nanoTime() - started) / 1_000_000);
        return snapshot.index();
    }

    /**
     * Proposes a command for the state machine. The future completes (on the callback thread, on the thread of a
     * caller blocked in its {@code get}/{@code join}, or with {@link RaftConfig#completeOnEventLoop()} on the event
     * loop: see "Threads" above) with the state
     * machine's result once this node has applied the command, or fails with:
     * <ul>
     *   <li>{@link NotLeaderException} (carrying the leader's id): this node is not the leader and forwarding is off
     *       ({@link RaftConfig#forwardToLeader()}), or no leader is known;</li>
     *   <li>{@link BackpressureException}: too many commands pending (queued for the event loop, or accepted but
     *       not yet committed), see {@link RaftConfig#maxPendingCommands()}; nothing was appended;</li>
     *   <li>{@link CommandTooLargeException}: larger than {@link RaftConfig#maxCommandBytes()};</li>
     *   <li>{@link CommandNotAppendedException} or {@link CommandNotCommittedException}: certainly not applied, see
     *       their javadoc;</li>
     *   <li>{@link CommandOutcomeUnknownException}: may have been applied, for example when no outcome was known
     *       within {@link RaftConfig#commandTimeoutMs()} (the message says which);</li>
     *   <li>{@link NodeClosedException}: the node is not started, or was closed before the command was applied.</li>
     * </ul>
     * On a follower the command is forwarded to the leader (by default). The command array is copied.
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        return propose(Objects.requireNonNull(command, "command"), false);
    }

    /** Queues a submit or a read for the event loop. The bytes are copied. */
    private CompletableFuture<byte[]> propose(byte[] bytes, boolean read) {
        NodeOutcomeCounter countOutcome = read ? readOutcomes : commandOutcomes;
        if (lifecycle != Lifecycle.RUNNING) {
            CompletableFuture<byte[]> future = new OutcomeCountingFuture(countOutcome);
            future.completeExceptionally(notRunning());
            return future;
        }
        // the event is the future: one object per proposal
        NodeEvent.Submit submit = new NodeEvent.Submit(proposalIds.incrementAndGet(), bytes.clone(), read,
                countOutcome);
        CompletableFuture<byte[]> future = submit.future();
        if (!events.offerSubmit(submit)) {
            future.completeExceptionally(new BackpressureException("node " + nodeId + " already has "
                    + config.maxPendingCommands() + " submits and reads queued for its event loop"
                    + " (maxPendingCommands); retry later"));
            return future;
        }
        // the loop fails what it finds queued when it stops; take back what was queued after that
        if (lifecycle != Lifecycle.RUNNING && events.remove(submit)) {
            future.completeExceptionally(notRunning());
        }
        return future;
    }

    /**
     * A linearizable read: runs {@code query} through {@link StateMachine#query(byte[])} once it is certain to see
     * every command committed before the call, without writing a log entry (ReadIndex, Ongaro's thesis §6.4: the
     * leader confirms with a majority that it still leads, then waits until its state machine has applied its
     * commit index as of the read). On a follower the read is forwarded to the leader, which runs the query on its
     * own state machine. Far cheaper than submitting the query as a command: no log write, no fsync.
     *
     * <p>The future completes (on the thread {@link #submit(byte[])}'s would: the callback thread, a blocked
     * caller's, or the event loop with {@link RaftConfig#completeOnEventLoop()}) with
     * the query's result, or fails with
     * {@link ReadNotServedException} (leadership changed, or not served within
     * {@link RaftConfig#commandTimeoutMs()}; reading again is always safe),
     * {@link NotLeaderException}, {@link BackpressureException}, {@link NodeClosedException}, or a
     * {@link RaftException} carrying the state machine's exception if the query threw.
     */
    public CompletableFuture<byte[]> read(byte[] query) {
        return propose(Objects.requireNonNull(query, "query"), true);
    }

    /**
     * Hands leadership to {@code target}, or if null to the most up-to-date follower heard from recently (Ongaro's
     * thesis §3.10): this node stops taking commands ({@link NotLeaderException}), lets the target catch up, then
     * tells it to campaign at once, so the cluster changes leader within a few message delays instead of an
     * election timeout. Use it before maintenance on the leader's host; {@link #close()} does it by itself (see
     * {@link RaftConfig#handOverOnClose()}).
     *
     * <p>The future completes (on the callback thread) with the new leader's id once this node knows it, or fails
     * with {@link NotLeaderException} (this node is not the leader), {@link IllegalArgumentException} (not another
     * member), {@link IllegalStateException} (no follower to hand over to), {@link RaftException} (the transfer did
     * not complete within the maximum election timeout; this node leads on), or {@link NodeClosedException}.
     */
    public CompletableFuture<String> transferLeadership(String target) {
        CompletableFuture<String> result = new CallbackGuardedFuture<>(callbacks);
        if (lifecycle != Lifecycle.RUNNING) {
            result.completeExceptionally(notRunning());
            return result;
        }
        NodeEvent.Transfer request = new NodeEvent.Transfer(target, result, false);
        EventLink queued = events.offer(request);
        if (lifecycle != Lifecycle.RUNNING && queued.withdraw()) {
            result.completeExceptionally(notRunning());
        }
        return result;
    }

    /**
     * Adds {@code id} as a learner: it receives the log and snapshots but neither votes nor counts for commitment.
     * See {@link #addMember} for the outcomes.
     */
    public CompletableFuture<Void> addLearner(String id) {
        return changeMembership(new MembershipChange(MembershipChange.Kind.ADD_LEARNER, id));
    }

    /**
     * Makes learner {@code id} a voter, if it is within {@link RaftConfig#maxLearnerLagEntries()} of the leader's
     * log (else {@link MembershipChangeRefusedException}: retry once it caught up). See {@link #addMember}.
     */
    public CompletableFuture<Void> promote(String id) {
        return changeMembership(new MembershipChange(MembershipChange.Kind.PROMOTE, id));
    }

    /**
     * Adds {@code id} as a voter: first as a learner, then promoted once it has caught up, one change at a time
     * (thesis §4.1). Start the new node first with an empty log and the current members (it waits, never
     * campaigning, until a configuration naming it as a voter reaches it). On the leader only. The future completes
     * (on the callback thread) when the change is committed, or fails with {@link NotLeaderException} (naming the
     * leader if known), {@link MembershipChangeRefusedException} (another change is in progress, or the leader has
     * not yet committed an entry of its term: retry later), {@link InvalidMembershipChangeException} (already a
     * member, not a learner, not a member, the last voter), {@link CommandOutcomeUnknownException} (no outcome
     * within {@link RaftConfig#commandTimeoutMs()}, or leadership lost meanwhile: the change may still take
     * effect; look at {@link RaftStatus#voters()} before retrying), or {@link NodeClosedException}.
     */
    public CompletableFuture<Void> addMember(String id) {
        return changeMembership(new MembershipChange(MembershipChange.Kind.ADD_MEMBER, id));
    }

    /**
     * Removes voter or learner {@code id} (the last voter cannot be). A removed leader hands leadership to an
     * up-to-date voter once the change commits, then steps down; a removed follower stops campaigning and reports
     * it ({@link RaftStatus#isNonMember()}). See {@link #addMember} for the outcomes.
     */
    public CompletableFuture<Void> removeMember(String id) {
        return changeMembership(new MembershipChange(MembershipChange.Kind.REMOVE, id));
    }

    private CompletableFuture<Void> changeMembership(MembershipChange change) {
        CompletableFuture<byte[]> outcome = new CompletableFuture<>();
        if (lifecycle != Lifecycle.RUNNING) {
            outcome.completeExceptionally(notRunning());
        } else {
            NodeEvent.ChangeMembership event = new NodeEvent.ChangeMembership(proposalIds.incrementAndGet(), change,
                    outcome);
            EventLink queued = events.offer(event);
            if (lifecycle != Lifecycle.RUNNING && queued.withdraw()) {
                outcome.completeExceptionally(notRunning());
            }
        }
        CompletableFuture<Void> done = new CallbackGuardedFuture<>(callbacks); // fails with the cause, not wrapped
        outcome.whenComplete((result, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Takes a snapshot of the state machine now, unless the latest durable snapshot already covers every entry this
     * node has applied. The future completes (on the callback thread) with a durable snapshot at or past the index the
     * node had applied when called: the one taken, or one that was being taken or was received from the leader
     * meanwhile. It fails with {@link RaftException} if the node has no snapshot store, has applied nothing yet, or
     * the snapshot failed (the node goes on and tries again later), and with {@link NodeClosedException} if the node
     * stops first. The node sets no timeout: writing takes as long as the state takes to write on the snapshot
     * thread (add {@link CompletableFuture#orTimeout} if needed).
     */
    public CompletableFuture<SnapshotInfo> takeSnapshot() {
        CompletableFuture<SnapshotInfo> result = new CallbackGuardedFuture<>(callbacks);
        if (lifecycle != Lifecycle.RUNNING) {
            result.completeExceptionally(notRunning());
            return result;
        }
        NodeEvent.TakeSnapshot request = new NodeEvent.TakeSnapshot(result);
        EventLink queued = events.offer(request);
        if (lifecycle != Lifecycle.RUNNING && queued.withdraw()) {
            result.completeExceptionally(notRunning());
        }
        return result;
    }

    /**
     * A recent snapshot of this node's status, published after every event-loop iteration (before {@link #start()}:
     * a FOLLOWER with term 0 and empty indexes; after {@link #close()}: the last one published).
     */
    public RaftStatus status() {
        NodeLoop l = loop;
        return l != null ? l.status()
                : new RaftStatus(nodeId, Role.FOLLOWER, 0, null, 0, 0, 0, Map.of());
    }

    /**
     * Counts of inbound messages dropped, by cause: the protocol core's (for example {@code "foreign-cluster"}) and
     * the node's own ({@code "inbound-queue-full"}, {@code "node-not-running"}). A snapshot.
     */
    public Map<String, Long> dropCounts() {
        NodeLoop l = loop;
        if (l != null) {
            return l.dropCounts();
        }
        return Map.copyOf(runtimeDrops);
    }

    /**
     * This node's live counters and gauges (elections, messages, drops, command and read outcomes, log latencies),
     * readable from any thread; the same instance for the node's whole life. See {@link NodeMetrics}.
     */
    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * This node's most recent events, oldest first, as far as {@link Builder#recentEvents(int)} keeps them (default
     * {@value Builder#DEFAULT_RECENT_EVENTS}): each event its loop handled (a received message, a submit, a transfer,
     * a snapshot outcome) with its status before and after, then each loop iteration's timers and effects
     * ({@link TraceEvent#TIMER}) with the messages the iteration sent; iterations that sent and changed nothing are
     * left out. Readable from any thread; times are the node's clock. Empty when turned off.
     */
    public List<TraceEvent> recentEvents() {
        return trace.events();
    }

    /** {@link #recentEvents()} as a table a person reads (see {@link TraceTable}). */
    public String recentEventsTable() {
        return TraceTable.render(trace.events(), List.of(nodeId), 64);
    }

    /**
     * Whether the callback thread has run everything handed to it so far (completions and listener notifications).
     * Tests wait on it before they assert which thread completes a future: the loop lets a blocked caller complete
     * its own future only when nothing decided earlier is still queued there.
     */
    boolean callbacksIdle() {
        return callbacks.idle();
    }

    /** Registers a listener for role and leader changes; it is called on the callback thread. */
    public void addListener(RaftListener listener) {
        callbacks.addListener(listener);
    }

    /** Unregisters a listener (no effect if it was not registered). */
    public void removeListener(RaftListener listener) {
        callbacks.removeListener(listener);
    }

    /**
     * Stops the node: stops the event loop, fails every pending future with {@link NodeClosedException}, closes the
     * transport and the log (see the class javadoc on ownership). When called from outside the node's own threads,
     * returns once all of that is done (waiting at most about {@value #CLOSE_TIMEOUT_MS} ms for each thread).
     * Idempotent.
     *
     * <p>A leader first hands leadership to an up-to-date follower ({@link #transferLeadership(String)}, unless
     * {@link RaftConfig#handOverOnClose()} is off, no follower was heard from recently, or close is called from one
     * of the node's own threads), waiting at most two maximum election timeouts: the cluster then has a new leader
     * within a few message delays instead of an election timeout.
     */
    @Override
    public void close() {
        handOverLeadershipBeforeClosing();
        Thread toJoin;
        synchronized (lifecycleLock) {
            if (lifecycle == Lifecycle.CLOSED || lifecycle == Lifecycle.CRASHED) {
                return;
            }
            boolean wasStarted = lifecycle != Lifecycle.NEW;
            lifecycle = Lifecycle.CLOSED;
            if (!wasStarted) {
                releaseResources();
                return;
            }
            events.offerClose();
            toJoin = loopThread;
        }
        if (Thread.currentThread() != toJoin) {
            try {
                toJoin.join(CLOSE_TIMEOUT_MS);
                if (toJoin.isAlive()) {
                    LOG.warn("node {}: event loop still busy {} ms after close (a state machine apply blocking?)",
                            nodeId, CLOSE_TIMEOUT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callbacks.shutdown(CLOSE_TIMEOUT_MS);
        }
        LOG.info("node {} closed", nodeId);
    }

    /**
     * Crash-stops the node, for fault tests: the node behaves from this call on as if its process had died. Once this
     * returns, nothing more is sent, written to the log, committed to the snapshot store or applied to the state
     * machine (an effect under way when it is called finishes first); there is no leadership hand-over. Commands the
     * node had taken fail with {@link NodeCrashedException}, a {@link CommandOutcomeUnknownException} (the rest of the
     * cluster may still commit them); requests still queued for the event loop fail with {@link NodeClosedException};
     * later calls fail as after {@link #close()}. The transport and the log are then closed, releasing their resources
     * (messages a transport accepted before the crash may still be delivered, as from a process that died after sending
     * them). To bring the node back, build a new {@code RaftNode} over the same log, as after a real crash. When called
     * from outside the node's own threads, returns once the event loop has stopped (waiting at most about
     * {@value #CLOSE_TIMEOUT_MS} ms). Idempotent; does nothing after {@link #close()}.
     */
    public void crash() {
        Thread toJoin;
        synchronized (lifecycleLock) {
            if (lifecycle == Lifecycle.NEW) {
                lifecycle = Lifecycle.CRASHED;
                releaseResources();
                return;
            }
            if (lifecycle != Lifecycle.RUNNING) {
                return;
            }
            lifecycle = Lifecycle.CRASHED;
            toJoin = loopThread;
        }
        crashGate.shut(); // outside lifecycleLock: an apply under way may call into the node
        events.offerClose(); // wakes the loop if it waits for an event
        if (Thread.currentThread() != toJoin) {
            try {
                toJoin.join(CLOSE_TIMEOUT_MS);
                if (toJoin.isAlive()) {
                    LOG.warn("node {}: event loop still busy {} ms after crash (a state machine apply blocking?)",
                            nodeId, CLOSE_TIMEOUT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callbacks.shutdown(CLOSE_TIMEOUT_MS);
        }
        LOG.info("node {} crashed (crash-stop)", nodeId);
    }

    private void handOverLeadershipBeforeClosing() {
        Thread loopThreadNow;
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.RUNNING) {
                return;
            }
            loopThreadNow = loopThread;
        }
        if (!config.handOverOnClose() || members.size() < 2 || status().role() != Role.LEADER
                || Thread.currentThread() == loopThreadNow || callbacks.isCallbackThread()) {
            return;
        }
        CompletableFuture<String> handedTo = new CompletableFuture<>();
        events.offer(new NodeEvent.Transfer(null, handedTo, true));
        try {
            String leader = handedTo.get(2 * config.electionTimeoutMaxMs() + CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            LOG.info("node {}: handed leadership to {} before closing", nodeId, leader);
        } catch (ExecutionException e) {
            LOG.info("node {}: closing without handing leadership over: {}", nodeId, e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.warn("node {}: no answer to the leadership hand-over; closing anyway", nodeId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RaftNode[" + nodeId + ", " + lifecycle + "]";
    }

    private void onInbound(RaftMessage message) {
        metrics.received(message);
        if (lifecycle != Lifecycle.RUNNING) {
            runtimeDrops.merge("node-not-running", 1L, Long::sum);
        } else if (!events.offerInbound(message)) {
            runtimeDrops.merge("inbound-queue-full", 1L, Long::sum);
        }
    }

    /** The error that stopped this node, if it stopped on one (see {@link RaftListener#onFatalError}). */
    public Optional<RaftException> fatalError() {
        return Optional.ofNullable(fatalError);
    }

    /** Called on the loop thread when it stops on a fatal error, before it fails pending futures. */
    private void stopAfterFatalError(RaftException error) {
        fatalError = error;
        synchronized (lifecycleLock) {
            if (lifecycle == Lifecycle.RUNNING) {
                lifecycle = Lifecycle.FAILED;
            }
        }
    }

    private RaftException notRunning() {
        return switch (lifecycle) {
            case NEW -> new NodeClosedException("node " + nodeId + " is not started; call start() first");
            case RUNNING, CLOSED -> new NodeClosedException("node " + nodeId + " closed");
            case CRASHED -> new NodeClosedException("node " + nodeId + " crashed (RaftNode.crash())");
            case FAILED -> {
                NodeClosedException e = new NodeClosedException("node " + nodeId + " stopped after a fatal error: "
                        + fatalError.getMessage());
                e.initCause(fatalError);
                yield e;
            }
        };
    }

    /** Closes what the node owns when no event loop runs to do it. */
    private void releaseResources() {
        closeQuietly(transport, "transport");
        SnapshotStore store = snapshots != null ? snapshots : givenSnapshotStore;
        if (store != null) {
            closeQuietly(store, "snapshot store");
        }
        closeQuietly(log, "log");
        callbacks.shutdown(0);
    }

    private void closeQuietly(AutoCloseable resource, String what) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("node {}: closing its {} failed", nodeId, what, e);
        }
    }

    /**
     * Builds a {@link RaftNode}. Required: {@code nodeId}, {@code members} (including {@code nodeId}, unless it
     * {@link #join joins}),
     * {@code clusterId}, {@code transport}, {@code log}, {@code stateMachine}. Optional: {@code config} (default
     * {@link RaftConfig#defaults()}), a snapshot store ({@code snapshotStore} or {@code snapshotDirectory}; default
     * none), {@code clock}, {@code randomSeed}, {@code recentEvents} (default 64), and the unsafe
     * {@code unsafeAllowNonDurableLog}.
     */
    public static final class Builder {
        private String nodeId;
        private Set<String> members;
        private String clusterId;
        private RaftConfig config = RaftConfig.defaults();
        private Transport transport;
        private LogAPI log;
        private StateMachine stateMachine;
        private SnapshotStore snapshotStore;
        private Path snapshotDirectory;
        private LongSupplier clock;
        private long randomSeed = new SplittableRandom().nextLong();
        private boolean unsafeAllowNonDurableLog;
        private boolean join;
        private int recentEvents = DEFAULT_RECENT_EVENTS;
        private long sessionIdleTimeoutMs;
        private io.raftbus.engine.session.SessionLimits sessionLimits =
                io.raftbus.engine.session.SessionLimits.DEFAULTS;
        private LongSupplier logTimeClock = System::currentTimeMillis;

        /**
         * How many events {@link RaftNode#recentEvents()} keeps unless told otherwise: none. Keeping them costs the loop
         * one status snapshot per event, which an embedded library should not charge by default; turn it on (64 is a
         * good size) on nodes you want to be able to explain.
         */
        public static final int DEFAULT_RECENT_EVENTS = 0;

        private Builder() {
        }

        /**
         * Starts this node outside the cluster, to be added to it ({@link RaftNode#addMember} on the leader):
         * {@code members} are the current voters, without this node, and its log is empty the first time (restart it
         * with the same settings: the changes that added it are in its log). It never campaigns until a
         * configuration naming it as a voter reaches it. Off by default.
         */
        public Builder join(boolean join) {
            this.join = join;
            return this;
        }

        /**
         * Turns client sessions on (exactly-once commands, see {@link io.raftbus.engine.session}): the state machine
         * is wrapped in a {@link SessionStateMachine} whose replicated table expires a session idle for
         * {@code idleTimeoutMs} of log time; as leader, this node stamps each command it appends with its wall
         * clock. <strong>Every node of the cluster must be built with the same setting</strong>: the table is
         * replicated state, and a node without it would apply commands differently. The state machine must be in
         * memory ({@link StateMachine#lastAppliedIndex()} 0) or durable and a
         * {@link io.raftbus.engine.session.SessionStore} (such as a SQLite one), which keeps the table with its
         * state. Off (0) by default.
         */
        public Builder sessions(long idleTimeoutMs) {
            if (idleTimeoutMs < 0) {
                throw new IllegalArgumentException("session idle timeout must be >= 0 (0: off), was " + idleTimeoutMs);
            }
            this.sessionIdleTimeoutMs = idleTimeoutMs;
            return this;
        }

        /**
         * The caps of the session table (with {@link #sessions}); default
         * {@link io.raftbus.engine.session.SessionLimits#DEFAULTS}. <strong>The same on every node</strong>: they
         * decide, at each index, which session a registration evicts and which command is refused.
         */
        public Builder sessionLimits(io.raftbus.engine.session.SessionLimits limits) {
            this.sessionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The clock (ms) this node stamps session commands with while it leads; default the wall clock
         * ({@link System#currentTimeMillis()}), comparable across nodes. For tests.
         */
        public Builder logTimeClock(LongSupplier clockMs) {
            this.logTimeClock = Objects.requireNonNull(clockMs, "clockMs");
            return this;
        }

        /** This node's id: unique in the cluster, and one of {@link #members(Set)}. */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /** The ids of all voting members, this node included. */
        public Builder members(Set<String> members) {
            this.members = members;
            return this;
        }

        /** The cluster id, stamped on every message; messages of other clusters are dropped. */
        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /** Protocol and runtime settings; default {@link RaftConfig#defaults()}. */
        public Builder config(RaftConfig config) {
            this.config = config;
            return this;
        }

        /** How this node reaches the others; the node owns it from now on and closes it. */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** The node's durable Raft storage; the node owns it from now on and closes it. */
        public Builder log(LogAPI log) {
            this.log = log;
            return this;
        }

        /** The application's state; the node applies committed commands to it but never closes it. */
        public Builder stateMachine(StateMachine stateMachine) {
            this.stateMachine = stateMachine;
            return this;
        }

        /**
         * Where the node keeps snapshots of the state machine (default: none, and the log is never compacted); the
         * node owns it from now on and closes it. Needs a state machine that implements
         * {@link StateMachine#captureSnapshot()} and {@link StateMachine#restoreSnapshot}, and a log that implements
         * {@link LogAPI#compactPrefix} and {@link LogAPI#installSnapshot}. One store per log: never share it.
         */
        public Builder snapshotStore(SnapshotStore store) {
            this.snapshotStore = store;
            return this;
        }

        /**
         * As {@link #snapshotStore}, with a {@link FileSnapshotStore} in {@code directory} (created if missing),
         * opened when the node starts. The directory is the store's alone.
         */
        public Builder snapshotDirectory(Path directory) {
            this.snapshotDirectory = directory;
            return this;
        }

        /**
         * A monotonic clock in milliseconds (never goes backwards). Default: {@link System#nanoTime()} based,
         * counting from when the node was built.
         */
        public Builder clock(LongSupplier clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Seed of the randomized election timeouts and PreVote pre-campaign numbers; default: a random seed, new for
         * each build. A fixed seed repeats the same numbers after a restart, so a late PreVote grant from before
         * the restart may count; fix it in tests only.
         */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * <strong>Unsafe.</strong> Lets a node with peers run on a log that is not durable against power loss
         * ({@link LogAPI#isDurable()} false, for example a {@code SqliteLog} with
         * {@code Durability.NORMAL_UNSAFE_ON_POWER_LOSS} or {@code OFF_UNSAFE}). Raft assumes votes and acknowledged
         * entries survive; after a power loss or an operating-system crash such a node may vote twice in one term or
         * forget entries a majority counted on, so the cluster can elect two leaders or lose committed commands.
         * Off by default (such a log is then refused by {@link #build()}); a single-member cluster needs no opt-in.
         * Set it only where that risk is accepted: benchmarks, throw-away test clusters.
         */
        public Builder unsafeAllowNonDurableLog(boolean allow) {
            this.unsafeAllowNonDurableLog = allow;
            return this;
        }

        /**
         * How many recent events {@link RaftNode#recentEvents()} keeps (default {@value #DEFAULT_RECENT_EVENTS}); 0
         * turns it off, which spares the loop one status snapshot per event.
         */
        public Builder recentEvents(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("recentEvents must be >= 0, was " + capacity);
            }
            this.recentEvents = capacity;
            return this;
        }

        /**
         * Validates the settings and builds the node (not started). If it throws, the transport and the log are
         * still the caller's to close.
         *
         * @throws IllegalStateException if a required setting is missing
         * @throws IllegalArgumentException if a setting is invalid, the log is not durable in a cluster with
         *     peers and {@link #unsafeAllowNonDurableLog(boolean)} is not set, or a snapshot store is given but the
         *     state machine or the log cannot do snapshots
         */
        public RaftNode build() {
            require(nodeId, "nodeId");
            require(members, "members");
            require(clusterId, "clusterId");
            require(config, "config");
            require(transport, "transport");
            require(log, "log");
            require(stateMachine, "stateMachine");
            if (nodeId.isBlank()) {
                throw new IllegalArgumentException("nodeId must not be blank");
            }
            if (clusterId.isBlank()) {
                throw new IllegalArgumentException("clusterId must not be blank");
            }
            if (members.isEmpty()) {
                throw new IllegalArgumentException("members must not be empty");
            }
            for (String member : members) {
                if (member == null || member.isBlank()) {
                    throw new IllegalArgumentException("members must not contain null or blank ids: " + members);
                }
            }
            if (!join && !members.contains(nodeId)) {
                throw new IllegalArgumentException("members " + members + " must include this node's id " + nodeId
                        + " (a node joining a running cluster is built with join(true))");
            }
            checkDurability();
            checkSnapshotSupport();
            RaftConfig effective = TransportFit.fit(config, transport.maxMessageBytes(), nodeId);
            return new RaftNode(this, effective, clock != null ? clock : millisSinceNow());
        }

        /** A log that may forget votes and acknowledged entries on power loss is refused with peers, unless allowed. */
        private void checkDurability() {
            if (members.size() < 2 || log.isDurable()) {
                return;
            }
            String risk = "node " + nodeId + ": its log (" + log.getClass().getSimpleName() + ") is not durable"
                    + " against power loss (LogAPI.isDurable() is false); in a cluster of " + members.size()
                    + " members a node that forgets its vote or acknowledged entries can elect two leaders in one"
                    + " term or lose committed commands";
            if (!unsafeAllowNonDurableLog) {
                throw new IllegalArgumentException(risk + ". Use a durable log (SqliteLog's default"
                        + " Durability.FULL), or accept that risk explicitly with"
                        + " RaftNode.Builder.unsafeAllowNonDurableLog(true)");
            }
            LOG.warn("{}; allowed by unsafeAllowNonDurableLog(true)", risk);
        }

        /**
         * With a snapshot store, the state machine must capture and restore snapshots (it overrides both defaults)
         * and the log must compact: asked to compact through its compacted prefix, which by contract does nothing,
         * a log without compaction throws {@link UnsupportedOperationException}.
         */
        private void checkSnapshotSupport() {
            if (snapshotStore != null && snapshotDirectory != null) {
                throw new IllegalArgumentException("node " + nodeId + ": give either snapshotStore or"
                        + " snapshotDirectory, not both");
            }
            if (snapshotStore == null && snapshotDirectory == null) {
                return;
            }
            if (!overrides(stateMachine, "captureSnapshot") || !overrides(stateMachine, "restoreSnapshot",
                    SnapshotInfo.class, InputStream.class)) {
                throw new IllegalArgumentException("node " + nodeId + ": a snapshot store was given, but the state"
                        + " machine " + stateMachine.getClass().getName() + " does not implement"
                        + " StateMachine.captureSnapshot and restoreSnapshot; implement both, or build the node"
                        + " without a snapshot store");
            }
            SnapshotMeta compacted = log.snapshotMeta();
            try {
                log.compactPrefix(compacted.index(), compacted.term());
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("node " + nodeId + ": a snapshot store was given, but the log "
                        + log.getClass().getName() + " cannot be compacted (LogAPI.compactPrefix and"
                        + " installSnapshot); use a log that can, or build the node without a snapshot store", e);
            }
        }

        private static boolean overrides(StateMachine machine, String method, Class<?>... parameters) {
            try {
                return machine.getClass().getMethod(method, parameters).getDeclaringClass() != StateMachine.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e); // StateMachine declares it
            }
        }

        private static LongSupplier millisSinceNow() {
            long origin = System.nanoTime();
            return () -> (System.nanoTime() - origin) / 1_000_000;
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
            }
        }
    }
}
