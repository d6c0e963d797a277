package io.raftbus.engine.simulation;

import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.NodeClosedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.Role;
import io.raftbus.engine.core.MembershipChange;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.core.Ready;
import io.raftbus.engine.core.ReadyEffects;
import io.raftbus.engine.core.ReadyHandler;
import io.raftbus.engine.core.SnapshotRecovery;
import io.raftbus.engine.core.SnapshotRequest;
import io.raftbus.engine.core.UnsafeCoreRules;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.session.SessionTable;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import io.raftbus.engine.trace.TraceEvent;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A deterministic simulation of a Raft cluster: N {@link RaftCore}s on a virtual clock, connected by a simulated
 * network that can drop, delay, duplicate and reorder messages, partition nodes (symmetrically or one way) and
 * heal; nodes can crash (volatile state lost, log kept) and restart. One seed drives every random choice, so a run
 * is reproduced from its seed alone.
 *
 * <p>With {@linkplain Builder#snapshots(boolean) snapshots}, each node has a snapshot store kept across crashes (like
 * its log): a snapshot the core asks for is captured at once and written into the store after a random virtual delay
 * (it may fail, and a crash before it completes loses it), a restarted node reconciles its log with its store and
 * restores its model state machine from the latest snapshot, and a follower restores the snapshots it installs.
 *
 * <p>Safety invariants are checked after every step (see {@link InvariantChecker}); a violation throws
 * {@link InvariantViolation} carrying the seed and a table of the last events. Not thread-safe; run one simulation
 * per thread.
 */
public final class Simulation {

    private record InFlight(long time, long seq, RaftMessage message) {
    }

    /** Something the simulation itself does at a virtual time (a snapshot write completing). */
    private record Timer(long time, long seq, Runnable action) {
    }

    /**
     * What the nodes did with snapshots so far.
     *
     * @param taken snapshots written into a store for a request of the core (policy or on demand)
     * @param writeFailures snapshot writes that failed on purpose (the core was told)
     * @param lostInCrash snapshot writes under way when their node crashed
     * @param installed snapshots a follower installed from its leader and restored its state machine from
     * @param restoredAtStart restarts that restored the state machine from the latest snapshot
     * @param chunksSent InstallSnapshot chunks sent (before the network loses or duplicates any)
     * @param chunkBytesSent bytes in those chunks
     */
    public record SnapshotStats(long taken, long writeFailures, long lostInCrash, long installed,
                                long restoredAtStart, long chunksSent, long chunkBytesSent) {
    }

    private final long seed;
    private final SplittableRandom random;
    private final String clusterId;
    private final RaftConfig config;
    private final Membership membership;
    private final long tickMs;
    private final Function<String, LogAPI> logFactory;
    private final InvariantChecker checker = new InvariantChecker();
    private final MembershipChecker membershipChecker;
    private final EventTrace trace;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final PriorityQueue<InFlight> network = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final boolean snapshots;
    /** Drives the snapshot writes' delays and failures, apart from {@code random}: a run without snapshots is as before. */
    private final SplittableRandom snapshotRandom;
    private final long snapshotWriteMaxDelayMs;
    private double snapshotWriteFailureRate;
    private double crashAfterSnapshotWriteRate;
    private long snapshotsTaken;
    private long snapshotWriteFailures;
    private long snapshotsLostInCrash;
    private long snapshotsInstalled;
    private long snapshotsRestoredAtStart;
    private long chunksSent;
    private long chunkBytesSent;
    private final Set<String> blockedLinks = new HashSet<>();
    /** Nodes that get no AppendEntries (scripted scenarios: a voter that votes but holds no entry of a term). */
    private final Set<String> appendsBlocked = new HashSet<>();
    /** Extra delay of every message to or from a slowed-down node. */
    private final Map<String, Long> slowNodes = new HashMap<>();
    private final Map<Long, byte[]> proposalCommands = new HashMap<>();
    /** The membership changes proposed, by proposal id. */
    private final Map<Long, MembershipChange> membershipProposals = new HashMap<>();
    private final boolean unsafeSkipTermCommitRule;
    private final Map<Long, ProposalOutcome> outcomes = new HashMap<>();
    /** For each read: the highest index applied anywhere when it was submitted; it must be served at or above. */
    private final Map<Long, Long> readFloors = new HashMap<>();
    private final double logFailureRate;
    /** How often a leader crashes between sending a batch ahead and appending it (see {@link #crashBeforeAppend}). */
    private double crashBeforeEarlyAppendRate;
    /** Its own stream: a run with the rate 0 draws nothing from it, so it is exactly what it was before. */
    private final SplittableRandom crashRandom;
    /** Nodes to crash at their next append after a send ahead (targeted scenarios). */
    private final Set<String> crashAtNextEarlyAppend = new HashSet<>();
    private final boolean durableStateMachine;
    private final ReadyObserver readyObserver;
    private final StepTracer tracer;
    private final Set<ByteBuffer> appliedCommands = new HashSet<>();
    /** Commands whose proposal failed with a {@link RetriableCommandException}: none may ever be applied. */
    private final Set<ByteBuffer> retriableFailedCommands = new HashSet<>();
    private NetworkFaults faults;
    private long logErrors;
    private long crashesBeforeAppend;
    private long now;
    private long nextTick;
    private long seq;
    private long nextProposalId = 1;
    private long delivered;
    /** Log entries delivered in AppendEntries, by receiving node (resends and duplicates counted again). */
    private final Map<String, Long> entriesDelivered = new HashMap<>();
    /** Client sessions over the model state machine; null when off. */
    private final SimSessions sessions;
    private final Map<Long, byte[]> results = new HashMap<>();

    private Simulation(Builder b) {
        this.seed = b.seed;
        this.random = new SplittableRandom(b.seed);
        this.clusterId = b.clusterId;
        this.config = b.config;
        this.faults = b.faults;
        this.tickMs = b.tickMs;
        this.trace = new EventTrace(b.traceSize, b.traceObserver);
        this.membership = Membership.ofVoters(Set.copyOf(b.nodeIds));
        this.membershipChecker = new MembershipChecker(membership);
        this.unsafeSkipTermCommitRule = b.unsafeSkipTermCommitRule;
        this.logFailureRate = b.logFailureRate;
        this.crashBeforeEarlyAppendRate = b.crashBeforeEarlyAppendRate;
        this.crashRandom = new SplittableRandom(b.seed ^ 0x4541524C59L);
        this.durableStateMachine = b.durableStateMachine;
        this.readyObserver = b.readyObserver;
        this.tracer = new StepTracer(trace);
        this.snapshots = b.snapshots;
        this.snapshotRandom = new SplittableRandom(b.seed ^ 0x534E4150L);
        this.snapshotWriteMaxDelayMs = b.snapshotWriteMaxDelayMs;
        this.snapshotWriteFailureRate = b.snapshotWriteFailureRate;
        this.crashAfterSnapshotWriteRate = b.crashAfterSnapshotWriteRate;
        this.sessions = b.sessionIdleTimeoutMs > 0 ? new SimSessions(b.sessionIdleTimeoutMs, b.sessionLimits) : null;
        Map<String, InMemoryLog> memoryLogs = new HashMap<>();
        this.logFactory = b.logFactory != null ? b.logFactory
                : id -> memoryLogs.computeIfAbsent(id, k -> new InMemoryLog()).reopen();
        for (String id : b.nodeIds) {
            SimNode node = new SimNode(id, checker.newNodeLog(), membership);
            if (snapshots) {
                node.store = new InMemorySnapshotStore();
            }
            nodes.put(id, node);
        }
        for (SimNode node : nodes.values()) {
            guarded(node, "start", () -> boot(node));
        }
        nextTick = tickMs;
    }

    /** Starts building a simulation driven by {@code seed}. */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /** The seed this run is driven by. */
    public long seed() {
        return seed;
    }

    /** The current virtual time in milliseconds. */
    public long now() {
        return now;
    }

    /** The node ids, in creation order. */
    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** Log calls that failed with a simulated {@link LogException} so far. */
    public long logErrors() {
        return logErrors;
    }

    /** Nodes crashed between sending a batch ahead and appending it, so far. */
    public long crashesBeforeAppend() {
        return crashesBeforeAppend;
    }

    /** Proposals submitted to live nodes whose outcome is not known yet. */
    public int unresolvedProposals() {
        int n = 0;
        for (SimNode node : nodes.values()) {
            if (node.isUp()) {
                n += node.outstanding.size();
            }
        }
        return n;
    }

    /** The proposals {@link #unresolvedProposals()} counts, by node. */
    public Map<String, List<Long>> unresolvedProposalIds() {
        Map<String, List<Long>> ids = new TreeMap<>();
        for (SimNode node : nodes.values()) {
            if (node.isUp() && !node.outstanding.isEmpty()) {
                ids.put(node.id, node.outstanding.stream().sorted().toList());
            }
        }
        return ids;
    }

    /** Messages delivered so far. */
    public long deliveredMessages() {
        return delivered;
    }

    /**
     * Log entries delivered to the node in AppendEntries so far, every copy counted (a range sent twice counts
     * twice): against the entries it lacked, how much replication to it was wasted.
     */
    public long entriesDelivered(String nodeId) {
        return entriesDelivered.getOrDefault(nodeId, 0L);
    }

    /** The messages the node dropped so far, by cause ({@code RaftCore.dropCounts}), or empty while it is down. */
    public Map<String, Long> dropCounts(String nodeId) {
        SimNode node = node(nodeId);
        return node.isUp() ? node.core.dropCounts() : Map.of();
    }

    /** Replaces the network's fault profile from now on. */
    public void setFaults(NetworkFaults faults) {
        this.faults = faults;
    }

    /**
     * Replaces the snapshot write faults from now on: the fraction of writes that fail, and of those that crash their
     * node right after becoming durable (see {@link Builder#snapshotWriteFailureRate(double)},
     * {@link Builder#crashAfterSnapshotWriteRate(double)}).
     */
    public void setSnapshotWriteFaults(double failureRate, double crashAfterWriteRate) {
        this.snapshotWriteFailureRate = failureRate;
        this.crashAfterSnapshotWriteRate = crashAfterWriteRate;
    }

    /** Advances virtual time by {@code ms}, processing every event due. */
    public void runFor(long ms) {
        runUntil(now + ms);
    }

    /** Processes events until virtual time {@code time}. */
    public void runUntil(long time) {
        while (step(time)) {
            // keep going
        }
        now = Math.max(now, time);
    }

    /**
     * Processes events until {@code condition} holds (checked after every event) or {@code maxMs} of virtual time
     * pass.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, long maxMs) {
        long deadline = now + maxMs;
        while (!condition.getAsBoolean()) {
            if (!step(deadline)) {
                now = Math.max(now, deadline);
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    /** Processes the next event if it is due at or before {@code limit}; returns false if none is. */
    private boolean step(long limit) {
        InFlight next = network.peek();
        long nextMessage = next == null ? Long.MAX_VALUE : next.time;
        Timer timer = timers.peek();
        long nextTimer = timer == null ? Long.MAX_VALUE : timer.time;
        if (Math.min(Math.min(nextMessage, nextTimer), nextTick) > limit) {
            return false;
        }
        if (nextTimer <= nextMessage && nextTimer < nextTick) {
            timers.poll();
            now = timer.time;
            timer.action.run();
        } else if (nextMessage < nextTick) {
            network.poll();
            now = next.time;
            deliver(next.message);
        } else {
            now = nextTick;
            nextTick += tickMs;
            for (SimNode node : nodes.values()) {
                if (node.isUp()) {
                    guarded(node, TraceEvent.TIMER, () -> node.core.tick(now));
                }
            }
        }
        return true;
    }

    private void deliver(RaftMessage m) {
        SimNode to = nodes.get(m.to());
        if (to == null || !to.isUp() || blockedLinks.contains(link(m.from(), m.to()))
                || (m instanceof AppendEntriesRequest && appendsBlocked.contains(m.to()))) {
            return;
        }
        delivered++;
        if (m instanceof AppendEntriesRequest append && !append.entries().isEmpty()) {
            entriesDelivered.merge(m.to(), (long) append.entries().size(), Long::sum);
        }
        guarded(to, m, () -> to.core.receive(m));
    }

    /**
     * Submits a command on {@code nodeId} (leader: appended; follower: forwarded). Returns the proposal id; its
     * {@link #outcome(long)} is FAILED at once if the node refused it or is down.
     */
    public long submit(String nodeId, byte[] command) {
        long id = nextProposalId++;
        proposalCommands.put(id, command.clone());
        propose(id, nodeId, "submit", core -> core.submit(id, command));
        return id;
    }

    /**
     * Submits a linearizable read on {@code nodeId} (leader: ReadIndex; follower: forwarded). Returns the proposal id;
     * its {@link #outcome(long)} becomes COMMITTED at the read index it was served at. Every read is checked to be
     * served at an index no lower than the highest index any node had applied when it was submitted: a stale read
     * (a deposed leader answering from its own state) is a violation.
     */
    public long submitRead(String nodeId) {
        long id = nextProposalId++;
        readFloors.put(id, checker.committedLength());
        propose(id, nodeId, "read", core -> core.submitRead(id, ("read#" + id).getBytes(StandardCharsets.UTF_8)));
        return id;
    }

    /** Hands proposal {@code id} to the node's core; a refusal (or the node being down) is its outcome at once. */
    private void propose(long id, String nodeId, String what, Consumer<RaftCore> action) {
        SimNode node = node(nodeId);
        if (!node.isUp()) {
            outcomes.put(id, ProposalOutcome.failed(new RaftException(nodeId + " is down")));
            return;
        }
        outcomes.put(id, ProposalOutcome.PENDING);
        guarded(node, what + " #" + id, () -> {
            try {
                action.accept(node.core);
                node.outstanding.add(id);
            } catch (SimulatedCrash e) {
                node.outstanding.add(id); // fails as the crash fails every proposal of the node
                throw e;
            } catch (LogException e) {
                if (membershipProposals.containsKey(id)) {
                    // as the runtime answers a membership change whose append failed (NodeLoop)
                    String why = nodeId + " could not append the membership change: " + e.getMessage();
                    failed(id, e.isPermanent() ? new CommandOutcomeUnknownException(why, e)
                            : new CommandNotAppendedException(why));
                }
                throw e;
            } catch (RaftException e) {
                failed(id, e);
            }
        });
    }

    /**
     * Asks the current leader, if there is one, to hand leadership to {@code target} (to the follower it prefers if
     * {@code target} is null or the leader itself). Returns whether a leader took the request.
     */
    public boolean transferLeadership(String target) {
        Optional<String> leader = leader();
        if (leader.isEmpty()) {
            return false;
        }
        SimNode node = node(leader.get());
        String to = node.id.equals(target) ? null : target;
        boolean[] taken = {false};
        guarded(node, "hand leadership to " + (to == null ? "the best" : to), () -> {
            try {
                node.core.transferLeadership(to);
                taken[0] = true;
            } catch (RaftException | IllegalStateException | IllegalArgumentException e) {
                // IllegalArgumentException: the target is no voter of the configuration (membership changes)
                trace.add(now, node.id, node.role(), node.term(), "refused: " + e.getMessage());
            }
        });
        return taken[0];
    }

    /** What became of proposal {@code id}. */
    public ProposalOutcome outcome(long id) {
        ProposalOutcome o = outcomes.get(id);
        if (o == null) {
            throw new IllegalArgumentException("no proposal " + id);
        }
        return o;
    }

    /**
     * Crashes a node: its core is lost (and its state machine, unless the simulation models a durable one); its log
     * and snapshot store are kept (a snapshot not committed to the store by then is lost). Its unresolved proposals fail, as a closing runtime fails its pending futures.
     */
    public void crash(String nodeId) {
        SimNode node = node(nodeId);
        if (!node.isUp()) {
            return;
        }
        trace.add(now, nodeId, node.role(), node.term(), "CRASH");
        for (long id : node.outstanding) {
            outcomes.put(id, ProposalOutcome.failed(new NodeClosedException(nodeId + " crashed")));
        }
        node.outstanding.clear();
        node.core = null;
        node.readyHandler = null;
        node.status = null;
        node.log.close();
        node.log = null;
        if (node.store != null) {
            node.store.crash();
        }
    }

    /**
     * Restarts a crashed node from its log, with an empty state machine (or, with snapshots, the state of its latest
     * snapshot, after reconciling the log with the store), unless the simulation models a durable state machine.
     */
    public void restart(String nodeId) {
        SimNode node = node(nodeId);
        if (node.isUp() || node.retired) {
            return;
        }
        guarded(node, "RESTART", () -> boot(node));
    }

    /**
     * Starts a new node {@code nodeId} with an empty log and snapshot store in join mode: its start membership is the
     * latest committed configuration's voters (without it), so it never campaigns until a configuration naming it as
     * a voter reaches it, as {@code RaftNode.Builder.join(true)} does. Add it with {@link #changeMembership}.
     */
    public void addNode(String nodeId) {
        if (nodes.containsKey(nodeId)) {
            throw new IllegalArgumentException(nodeId + " exists already (ids are never reused: a fresh node with an"
                    + " old id could vote twice in a term)");
        }
        SimNode node = new SimNode(nodeId, checker.newNodeLog(),
                Membership.ofVoters(membershipChecker.latestCommitted().voters()));
        if (snapshots) {
            node.store = new InMemorySnapshotStore();
        }
        nodes.put(nodeId, node);
        // sorted: a Set.of's order changes from one JVM to the next, and a seed's trace must not
        trace.add(now, nodeId, null, 0, "JOIN " + new TreeSet<>(node.start.voters()));
        guarded(node, "start (join)", () -> boot(node));
    }

    /**
     * Stops a node for good: it crashes and is never restarted. For a node whose removal committed, or one that was
     * never added; {@code additionFailure} (null if none): why its only addition failed as certainly not applied, so
     * no committed configuration may ever name it (checked).
     */
    public void retire(String nodeId, RuntimeException additionFailure) {
        crash(nodeId);
        SimNode node = node(nodeId);
        node.retired = true;
        if (additionFailure != null) {
            membershipChecker.neverAdded(nodeId);
        }
        trace.add(now, nodeId, null, 0, "RETIRED" + (additionFailure != null ? " (never added: "
                + additionFailure.getMessage() + ")" : ""));
    }

    /** Whether the node was stopped for good. */
    public boolean isRetired(String nodeId) {
        return node(nodeId).retired;
    }

    /** The nodes not retired, in creation order. */
    public List<String> activeNodeIds() {
        List<String> ids = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (!node.retired) {
                ids.add(node.id);
            }
        }
        return ids;
    }

    /**
     * Proposes a membership change on {@code nodeId} ({@link RaftCore#changeMembership}, as {@code RaftNode}'s
     * addLearner, promote, addMember and removeMember do). Returns the proposal id; its {@link #outcome(long)} is
     * FAILED at once if the node refused it or is down, COMMITTED at the index of the CONFIG entry that made it.
     */
    public long changeMembership(String nodeId, MembershipChange change) {
        long id = nextProposalId++;
        membershipProposals.put(id, change);
        propose(id, nodeId, change.kind() + " " + change.nodeId(), core -> core.changeMembership(id, change));
        return id;
    }

    /** The configuration in force on the node (the latest in its log), or empty while it is down. */
    public Optional<Membership> membership(String nodeId) {
        SimNode node = node(nodeId);
        return node.isUp() ? Optional.of(node.core.membership()) : Optional.empty();
    }

    /** The latest configuration applied anywhere (committed), or the start membership. */
    public Membership committedMembership() {
        return membershipChecker.latestCommitted();
    }

    /** How many membership changes were committed (applied somewhere) so far. */
    public int committedMembershipChanges() {
        return membershipChecker.committedChanges();
    }

    /** Whether the node is up. */
    public boolean isUp(String nodeId) {
        return node(nodeId).isUp();
    }

    /** Cuts every link between {@code side} and the other nodes, both ways. */
    public void partition(Collection<String> side) {
        for (String a : side) {
            for (String b : nodes.keySet()) {
                if (!side.contains(b)) {
                    blockedLinks.add(link(a, b));
                    blockedLinks.add(link(b, a));
                }
            }
        }
        trace.add(now, "-", null, 0, "PARTITION " + side);
    }

    /** Drops every message from {@code from} to {@code to} (one way). */
    public void blockOneWay(String from, String to) {
        blockedLinks.add(link(from, to));
        trace.add(now, "-", null, 0, "BLOCK " + from + "->" + to);
    }

    /**
     * Drops every AppendEntries to {@code nodeId} ({@code blocked}) or stops doing so; other messages pass. For
     * scripted scenarios: the node still votes, but receives no entry. {@link #heal()} does not undo it.
     */
    public void blockAppendsTo(String nodeId, boolean blocked) {
        if (blocked) {
            appendsBlocked.add(nodeId);
        } else {
            appendsBlocked.remove(nodeId);
        }
        trace.add(now, nodeId, null, 0, (blocked ? "BLOCK" : "UNBLOCK") + " AppendEntries to " + nodeId);
    }

    /** Isolates a node from all others, both ways. */
    public void isolate(String nodeId) {
        partition(List.of(nodeId));
    }

    /**
     * Slows a node down: every message to or from it takes {@code extraDelayMs} more (on top of the network's delay),
     * as for a node on a slow link or too busy to keep up. 0 makes it normal again; {@link #heal()} does too.
     */
    public void slowDown(String nodeId, long extraDelayMs) {
        node(nodeId);
        if (extraDelayMs <= 0) {
            slowNodes.remove(nodeId);
        } else {
            slowNodes.put(nodeId, extraDelayMs);
        }
        trace.add(now, nodeId, null, 0, "SLOW +" + extraDelayMs + " ms");
    }

    /** Restores every link, and the speed of every slowed-down node. */
    public void heal() {
        blockedLinks.clear();
        slowNodes.clear();
        trace.add(now, "-", null, 0, "HEAL");
    }

    /** The current leader with the highest term among live nodes, if any. */
    public Optional<String> leader() {
        String best = null;
        long bestTerm = -1;
        for (SimNode n : nodes.values()) {
            if (n.isUp() && n.role() == Role.LEADER && n.term() > bestTerm) {
                best = n.id;
                bestTerm = n.term();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The node's status, or empty while it is down. */
    public Optional<RaftStatus> status(String nodeId) {
        SimNode node = node(nodeId);
        return node.isUp() ? Optional.of(node.core.status()) : Optional.empty();
    }

    /**
     * The commands the node's current incarnation applied, in index order (index i at position i - 1); entries
     * that are not commands (no-ops) appear as {@code null}.
     */
    public List<byte[]> applied(String nodeId) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(node(nodeId).model.commands()));
    }

    /** The last index the node's current incarnation applied (or restored from a snapshot). */
    public long lastApplied(String nodeId) {
        return node(nodeId).model.lastApplied();
    }

    /** The digest of the node's state machine at {@link #lastApplied(String)} (equal on nodes at one index). */
    public long stateDigest(String nodeId) {
        return node(nodeId).model.digest();
    }

    /** The latest snapshot in the node's store (kept across crashes); empty without snapshots or before the first. */
    public Optional<SnapshotInfo> latestSnapshot(String nodeId) {
        SimNode node = node(nodeId);
        return node.store == null ? Optional.empty() : node.store.latest();
    }

    /** What the nodes did with snapshots so far. */
    public SnapshotStats snapshotStats() {
        return new SnapshotStats(snapshotsTaken, snapshotWriteFailures, snapshotsLostInCrash, snapshotsInstalled,
                snapshotsRestoredAtStart, chunksSent, chunkBytesSent);
    }

    /**
     * Asks the node for a snapshot now ({@link RaftCore#requestSnapshot()}); returns the index it will cover, or 0 if
     * none is taken (nothing new applied, one under way, the node is down, or the simulation has no snapshots).
     */
    public long requestSnapshot(String nodeId) {
        SimNode node = node(nodeId);
        if (!node.isUp() || node.store == null) {
            return 0;
        }
        long[] index = {0};
        guarded(node, "request a snapshot", () -> index[0] = node.core.requestSnapshot());
        trace.add(now, nodeId, node.role(), node.term(), "snapshot requested: " + index[0]);
        return index[0];
    }

    /** The highest index applied by any node so far. */
    public long committedIndex() {
        return checker.committedLength();
    }

    /**
     * What became of every proposal so far, counted: {@code committed}, {@code pending}, and failures by exception
     * class (for example {@code CommandNotCommittedException}, {@code CommandOutcomeUnknownException}).
     */
    public Map<String, Long> outcomeCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<Long, ProposalOutcome> e : outcomes.entrySet()) {
            ProposalOutcome o = e.getValue();
            String key = switch (o.status()) {
                case COMMITTED -> readFloors.containsKey(e.getKey()) ? "read-served" : "committed";
                case PENDING -> "pending";
                case FAILED -> o.failure().getClass().getSimpleName();
            };
            counts.merge(key, 1L, Long::sum);
        }
        return counts;
    }

    /** The table of recent events (the same one a violation prints). */
    public String trace() {
        return trace.table();
    }

    /** Fails the run with a readable report: the reason, the seed and the recent events. */
    public InvariantViolation violation(String reason) {
        return new InvariantViolation(snapshots ? reason + " [with snapshots]" : reason, seed, trace.table());
    }

    private void boot(SimNode node) {
        LogAPI raw = logFactory.apply(node.id);
        ObservedLog log = new ObservedLog(node.id, raw, checker, node.view, random.split(), logFailureRate,
                () -> crashBeforeAppend(node));
        node.log = log;
        if (!durableStateMachine) {
            node.model.clear();
            if (sessions != null) {
                sessions.reset(node.id);
            }
        }
        node.incarnation++;
        SplittableRandom nodeRandom = random.split();
        if (node.store == null) {
            node.core = new RaftCore(node.id, clusterId, node.start, config, log, node.model.lastApplied(),
                    nodeRandom, now);
        } else {
            Optional<SnapshotInfo> latest = SnapshotRecovery.reconcile(node.id, log, node.store);
            if (latest.isPresent() && latest.get().index() > node.model.lastApplied()) {
                restore(node, latest.get());
                snapshotsRestoredAtStart++;
            }
            node.core = new RaftCore(node.id, clusterId, node.start, config, log, node.store,
                    node.model.lastApplied(), nodeRandom, now);
        }
        if (unsafeSkipTermCommitRule) {
            UnsafeCoreRules.skipTermCommitRule(node.core, true);
        }
        node.status = node.core.status();
        node.readyHandler = new ReadyHandler(node.id, clusterId, config, node.model.lastApplied(),
                new SimEffects(node));
        if (sessions != null) {
            node.core.commandStamper(sessions.stamper(node.id, random, () -> now));
        }
        node.sentAhead = false;
        node.core.earlySendSink(m -> sendAhead(node, m));
        log.arm();
        drain(node);
    }

    /** A message the node's core sends before its next Ready (a leader's batch, ahead of its own append). */
    private void sendAhead(SimNode node, RaftMessage m) {
        node.sentAhead = true;
        if (readyObserver != null) {
            readyObserver.onEarlySend(node.id, now, m);
        }
        tracer.sent(m);
        send(m);
    }

    /**
     * Asked by the node's log before each append: whether the node crashes before writing it. Only an append right
     * after the core sent messages ahead of it may crash (the leader's batch is then with its followers and not in
     * its own log): always if a scenario asked for it ({@link #crashBeforeNextEarlyAppend}), else at the
     * configured rate.
     */
    private boolean crashBeforeAppend(SimNode node) {
        if (!node.sentAhead) {
            return false;
        }
        node.sentAhead = false;
        if (crashAtNextEarlyAppend.remove(node.id)) {
            return true;
        }
        return crashBeforeEarlyAppendRate > 0 && crashRandom.nextDouble() < crashBeforeEarlyAppendRate;
    }

    /**
     * Crashes {@code nodeId} at its next append that follows messages sent ahead of it: a leader that sent a batch
     * of commands to its followers crashes before the batch is in its own log.
     */
    public void crashBeforeNextEarlyAppend(String nodeId) {
        crashAtNextEarlyAppend.add(node(nodeId).id);
    }

    /** Sets the rate of {@link Builder#crashBeforeEarlyAppendRate} (e.g. 0 once faults heal). */
    public void setCrashBeforeEarlyAppendRate(double rate) {
        crashBeforeEarlyAppendRate = rate;
    }

    /**
     * Runs an action on a node's core, then handles its effects; any exception becomes a violation. The step is
     * traced as {@code event} with the node's status before and after and the messages it sent (a failing step too,
     * before the violation's table is rendered).
     */
    private void guarded(SimNode node, Object event, Runnable action) {
        StepTracer.Step step = tracer.begin(node.id, node.isUp());
        try {
            swallowLogErrors(node, action);
            if (node.isUp()) {
                swallowLogErrors(node, () -> drain(node));
            }
            if (node.isUp() && node.store != null) {
                checkSnapshotOrder(node);
            }
            if (node.isUp() && node.role() == Role.LEADER) {
                checkOneChangeInFlight(node);
            }
        } catch (InvariantViolation v) {
            throw v;
        } catch (RuntimeException | AssertionError e) {
            tracer.end(step, now, node.id, event, node.core);
            InvariantViolation v = violation("at " + now + " ms on " + node.id + ": " + e);
            v.initCause(e);
            throw v;
        }
        tracer.end(step, now, node.id, event, node.core);
    }

    /** A leader's log holds at most one CONFIG entry above what is known committed. */
    private void checkOneChangeInFlight(SimNode node) {
        long commitPoint = checker.committedLength();
        if (node.view.configEntriesAbove(commitPoint) > 1) {
            commitPoint = Math.max(commitPoint, node.core.status().commitIndex());
            membershipChecker.checkOneChangeInFlight(node.id, node.view, commitPoint);
        }
    }

    /** A membership change completes once, on its own node, at a committed CONFIG entry that made it. */
    private void checkChange(SimNode node, long proposalId, long index) {
        MembershipChange change = membershipProposals.get(proposalId);
        Membership made = membershipChecker.committedAt(index);
        String id = change.nodeId();
        boolean done = made != null && switch (change.kind()) {
            case ADD_LEARNER -> made.learners().contains(id);
            case PROMOTE, ADD_MEMBER -> made.voters().contains(id);
            case REMOVE -> !made.voters().contains(id) && !made.learners().contains(id);
        };
        if (!done) {
            throw new IllegalStateException("Proposal #" + proposalId + " (" + change + ") on " + node.id
                    + " completed at index " + index + ", whose entry " + (made == null ? "is no CONFIG entry"
                    : "holds " + made + ", which does not make that change"));
        }
        ProposalOutcome previous = outcomes.get(proposalId);
        if (previous != null && previous.status() != ProposalOutcome.Status.PENDING) {
            throw new IllegalStateException("Proposal #" + proposalId + " completed twice");
        }
    }

    /**
     * A LogAPI failure is not fatal: the runtime logs it and goes on, and the core must stay consistent. A simulated
     * crash in the log crashes the node.
     */
    private void swallowLogErrors(SimNode node, Runnable action) {
        try {
            action.run();
        } catch (LogException e) {
            logErrors++;
            trace.add(now, node.id, node.role(), node.term(), e.getMessage());
        } catch (SimulatedCrash e) {
            trace.add(now, node.id, node.role(), node.term(), e.getMessage());
            crashesBeforeAppend++;
            crash(node.id);
        }
    }

    /**
     * A snapshot is durable before the log is compacted or reset to it, and the state machine is never behind the
     * log's compacted prefix: compacted prefix &lt;= latest snapshot in the store, and &lt;= last applied.
     */
    private void checkSnapshotOrder(SimNode node) {
        long compacted = node.log.snapshotMeta().index();
        long stored = node.store.latest().map(SnapshotInfo::index).orElse(0L);
        if (compacted > stored || compacted > node.model.lastApplied()) {
            throw new IllegalStateException("Snapshot order: " + node.id + "'s log is compacted through " + compacted
                    + " but its latest durable snapshot is at " + stored + " and its state machine applied through "
                    + node.model.lastApplied());
        }
    }

    /** Replaces the node's model state with the stored snapshot's, checking its digest against what nodes applied. */
    private void restore(SimNode node, SnapshotInfo snapshot) {
        byte[] bytes;
        try (InputStream in = node.store.open(snapshot)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node.model.restore(sessions == null ? bytes : sessions.restore(node.id, bytes));
        if (node.model.lastApplied() != snapshot.index()) {
            throw new IllegalStateException("Snapshot: " + node.id + " restored " + snapshot + " but its bytes hold the"
                    + " state at index " + node.model.lastApplied());
        }
        checker.onRestore(node.id, node.view, snapshot.index(), node.model.digest());
        trace.add(now, node.id, node.role(), node.term(), "restored snapshot " + snapshot.index() + "@"
                + snapshot.term());
    }

    /**
     * Writes a captured state into the node's store as a snapshot, a random virtual delay after the core asked: the
     * write may fail on purpose (the core is told), is lost if the node crashed meanwhile, and the node may crash
     * right after it is durable, before the core hears of it.
     */
    private void startSnapshotWrite(SimNode node, SnapshotRequest request) {
        if (request.index() != node.model.lastApplied()) {
            throw new IllegalStateException("Snapshot: " + node.id + " was asked for a snapshot at " + request.index()
                    + " but applied through " + node.model.lastApplied());
        }
        byte[] state = sessions == null ? node.model.snapshot() : sessions.snapshot(node.id, node.model.snapshot());
        SnapshotWriter writer;
        try {
            writer = node.store.create(request.index(), request.term(), request.membership());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int incarnation = node.incarnation;
        trace.add(now, node.id, node.role(), node.term(), "writing snapshot " + request.index() + "@"
                + request.term());
        long at = now + 1 + snapshotRandom.nextLong(snapshotWriteMaxDelayMs);
        timers.add(new Timer(at, seq++, () -> finishSnapshotWrite(node, incarnation, request, writer, state)));
    }

    private void finishSnapshotWrite(SimNode node, int incarnation, SnapshotRequest request, SnapshotWriter writer,
                                     byte[] state) {
        if (!node.isUp() || node.incarnation != incarnation) {
            snapshotsLostInCrash++;
            try {
                writer.stream().write(state);
                writer.commit();
                throw violation("Snapshot store: a writer of a crashed node committed " + request);
            } catch (IOException expected) {
                return; // the crash aborted it
            }
        }
        if (snapshotRandom.nextDouble() < snapshotWriteFailureRate) {
            writer.abort();
            snapshotWriteFailures++;
            guarded(node, "snapshot write " + request.index() + " FAILED",
                    () -> node.core.snapshotFailed(request.index(), "simulated write failure"));
            return;
        }
        SnapshotInfo info;
        try {
            writer.stream().write(state);
            info = writer.commit();
        } catch (IOException e) {
            throw violation("Snapshot store: " + node.id + " could not commit " + request + ": " + e);
        }
        snapshotsTaken++;
        trace.add(now, node.id, node.role(), node.term(), "snapshot " + info.index() + "@" + info.term()
                + " durable (" + info.sizeBytes() + " bytes)");
        if (snapshotRandom.nextDouble() < crashAfterSnapshotWriteRate) {
            crash(node.id); // durable in the store, the core never hears of it
            return;
        }
        guarded(node, "snapshot " + info.index() + " taken", () -> node.core.snapshotTaken(info));
    }

    /** Handles the node's effects; a committed backlog (handed out in chunks) is applied whole, in this step. */
    private void drain(SimNode node) {
        do {
            drainOnce(node);
        } while (node.core.hasCommittedToHandOut());
    }

    private void drainOnce(SimNode node) {
        Ready ready = node.core.ready();
        if (ready.isEmpty()) {
            return;
        }
        tracer.readyHandled();
        if (readyObserver != null) {
            readyObserver.onReady(node.id, now, ready, node.core.status());
        }
        if (ready.statusChanged()) {
            RaftStatus s = node.core.status();
            Role before = node.role();
            node.status = s;
            membershipChecker.onRole(node.id, before, s.role(), node.core.membership(), s.commitIndex());
            checker.onTerm(s.term());
            if (s.role() == Role.LEADER) {
                checker.onLeader(node.id, s.term(), node.view);
            }
        }
        node.readyHandler.handle(ready);
    }

    /**
     * The simulation's side of carrying out a node's {@link Ready} (the order and the answers are the runtime's, in
     * {@link ReadyHandler}): the simulated network, a model state machine that records what it applies and answers with
     * the command itself, and the invariant checks on every applied entry and every completed or failed proposal.
     */
    private final class SimEffects implements ReadyEffects {
        private final SimNode node;

        SimEffects(SimNode node) {
            this.node = node;
        }

        @Override
        public void send(RaftMessage message) {
            tracer.sent(message);
            Simulation.this.send(message);
        }

        @Override
        public byte[] apply(LogEntry entry) {
            long index = entry.index();
            checker.onApply(node.id, node.view, index, node.model.lastApplied());
            if (entry.type() == EntryType.CONFIG) {
                membershipChecker.onCommittedConfig(node.id, index, MembershipCodec.decode(entry.payload()));
            }
            byte[] payload = node.model.apply(entry);
            checker.onDigest(node.id, index, node.model.digest());
            if (payload != null && appliedCommands.add(ByteBuffer.wrap(asSubmitted(payload)))
                    && retriableFailedCommands.contains(ByteBuffer.wrap(asSubmitted(payload)))) {
                throw new IllegalStateException("Index " + index + " applied a command whose proposal had failed with"
                        + " a RetriableCommandException (certainly not applied)");
            }
            return sessions == null || payload == null ? payload : sessions.apply(node.id, index, payload);
        }

        /** The model state machine answers every query with nothing. */
        @Override
        public byte[] query(byte[] query) {
            return new byte[0];
        }

        /** A command completes once, on its own node, with the entry holding its command and that entry's result. */
        @Override
        public void completeCommand(long proposalId, long index, byte[] result) {
            if (membershipProposals.containsKey(proposalId)) {
                checkChange(node, proposalId, index);
                resolve(node, proposalId);
                outcomes.put(proposalId, ProposalOutcome.committed(index));
                return;
            }
            byte[] applied = node.model.commandAt(index);
            checkCommand(node, proposalId, index, applied);
            if (sessions != null) {
                results.put(proposalId, result);
            } else if (!Arrays.equals(applied, result)) {
                throw new IllegalStateException("Proposal #" + proposalId + " on " + node.id + " completed with a"
                        + " result that is not the one its entry at index " + index + " produced");
            }
            resolve(node, proposalId);
            outcomes.put(proposalId, ProposalOutcome.committed(index));
        }

        @Override
        public void completeRead(long proposalId, long readIndex, byte[] result) {
            served(node, proposalId, readIndex);
        }

        @Override
        public void fail(long proposalId, RaftException cause) {
            resolve(node, proposalId);
            failed(proposalId, cause);
        }

        /** The term this node's last status change reported. */
        @Override
        public long term() {
            return node.term();
        }

        /** A snapshot installed from the leader, durable in the store: the model state becomes its state. */
        @Override
        public void restoreSnapshot(SnapshotInfo snapshot) {
            restore(node, snapshot);
            snapshotsInstalled++;
        }

        @Override
        public void takeSnapshot(SnapshotRequest request) {
            startSnapshotWrite(node, request);
        }
    }

    /**
     * Records a failed proposal. A command failed with a {@link RetriableCommandException} was promised never to be
     * applied: it must not be applied now or later. (Reads have no command: reading again is always safe.)
     */
    private void failed(long proposalId, RaftException cause) {
        byte[] submitted = proposalCommands.get(proposalId);
        if (cause instanceof RetriableCommandException && submitted != null) {
            ByteBuffer command = ByteBuffer.wrap(submitted);
            if (appliedCommands.contains(command)) {
                throw new IllegalStateException("Proposal #" + proposalId + " failed with "
                        + cause.getClass().getSimpleName() + " (certainly not applied), but its command was applied: "
                        + cause.getMessage());
            }
            retriableFailedCommands.add(command);
        }
        outcomes.put(proposalId, ProposalOutcome.failed(cause));
    }

    private void served(SimNode node, long proposalId, long readIndex) {
        long floor = readFloors.get(proposalId);
        if (readIndex < floor) {
            throw new IllegalStateException("Linearizability: read #" + proposalId + " was served at index "
                    + readIndex + ", but index " + floor + " was already applied when it was submitted (a stale read)");
        }
        resolve(node, proposalId);
        outcomes.put(proposalId, ProposalOutcome.committed(readIndex));
    }

    private void resolve(SimNode node, long proposalId) {
        if (!node.outstanding.remove(proposalId)) {
            throw new IllegalStateException("Proposal #" + proposalId + " resolved on " + node.id
                    + ", which does not hold it (resolved twice, or by another incarnation)");
        }
    }

    /** A proposal completes only with the entry holding its own command. */
    private void checkCommand(SimNode node, long proposalId, long index, byte[] applied) {
        byte[] submitted = proposalCommands.get(proposalId);
        if (submitted == null || applied == null || !Arrays.equals(submitted, asSubmitted(applied))) {
            throw new IllegalStateException("Proposal #" + proposalId + " on " + node.id + " completed at index "
                    + index + " whose entry is not its command");
        }
        ProposalOutcome previous = outcomes.get(proposalId);
        if (previous != null && previous.status() != ProposalOutcome.Status.PENDING) {
            throw new IllegalStateException("Proposal #" + proposalId + " completed twice");
        }
    }

    /** An applied command's bytes as submitted: with sessions, without the leader's log-time stamp. */
    private byte[] asSubmitted(byte[] applied) {
        return sessions == null ? applied : SessionEnvelope.unstamped(applied);
    }

    /** With sessions: the result a committed proposal completed with (a {@code SessionReply}); else null. */
    public byte[] result(long proposalId) {
        return results.get(proposalId);
    }

    /**
     * With sessions: the index (session, seq) was first applied at on any node, or -1; an APPLIED reply's result
     * names the index of the application it reports (8 bytes).
     */
    public long firstApplication(long sessionId, long seq) {
        return sessions == null ? -1 : sessions.firstApplication(sessionId, seq);
    }

    /** With sessions: the session table of a node (its current state machine's). */
    public SessionTable sessionTable(String nodeId) {
        return sessions == null ? null : sessions.table(nodeId);
    }

    private void send(RaftMessage m) {
        if (m instanceof InstallSnapshotRequest chunk) {
            chunksSent++;
            chunkBytesSent += chunk.data().length;
        }
        if (random.nextDouble() < faults.dropRate()) {
            return;
        }
        enqueue(m);
        if (random.nextDouble() < faults.duplicateRate()) {
            enqueue(m);
        }
    }

    private void enqueue(RaftMessage m) {
        long delay = faults.minDelayMs() == faults.maxDelayMs() ? faults.minDelayMs()
                : random.nextLong(faults.minDelayMs(), faults.maxDelayMs() + 1);
        if (!slowNodes.isEmpty()) {
            delay += Math.max(slowNodes.getOrDefault(m.from(), 0L), slowNodes.getOrDefault(m.to(), 0L));
        }
        network.add(new InFlight(now + delay, seq++, m));
    }

    private SimNode node(String id) {
        SimNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
        }
        return node;
    }

    private static String link(String from, String to) {
        return from + '\u0000' + to;
    }

    /** Builds a {@link Simulation}. */
    public static final class Builder {
        private final long seed;
        private List<String> nodeIds = List.of("n1", "n2", "n3");
        private String clusterId = "sim";
        private RaftConfig config = RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(50).build();
        private NetworkFaults faults = NetworkFaults.NONE;
        private long tickMs = 10;
        private int traceSize = 60;
        private Function<String, LogAPI> logFactory;
        private double logFailureRate;
        private double crashBeforeEarlyAppendRate;
        private boolean durableStateMachine;
        private ReadyObserver readyObserver;
        private TraceObserver traceObserver;
        private boolean snapshots;
        private long sessionIdleTimeoutMs;
        private io.raftbus.engine.session.SessionLimits sessionLimits = io.raftbus.engine.session.SessionLimits.DEFAULTS;
        private long snapshotWriteMaxDelayMs = 50;
        private double snapshotWriteFailureRate;
        private double crashAfterSnapshotWriteRate;
        private boolean unsafeSkipTermCommitRule;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** {@code count} nodes named n1..nN (default 3). */
        public Builder nodes(int count) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                ids.add("n" + i);
            }
            this.nodeIds = ids;
            return this;
        }

        /** Nodes with these ids. */
        public Builder nodeIds(List<String> ids) {
            this.nodeIds = List.copyOf(ids);
            return this;
        }

        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /** Protocol settings for every node (default: election timeout 150–300 ms, heartbeat 50 ms). */
        public Builder config(RaftConfig config) {
            this.config = config;
            return this;
        }

        /** The network's initial fault profile (default: none). */
        public Builder faults(NetworkFaults faults) {
            this.faults = faults;
            return this;
        }

        /** How often every live node's clock is advanced (default 10 ms of virtual time). */
        public Builder tickMs(long tickMs) {
            this.tickMs = tickMs;
            return this;
        }

        /** How many recent events a violation report shows (default 60). */
        public Builder traceSize(int traceSize) {
            this.traceSize = traceSize;
            return this;
        }

        /**
         * Where each node's log comes from; called when a node boots and again at each restart, after its previous
         * log was closed (so a durable log must be reopened from the same place). Default: an in-memory log per
         * node, kept across crashes.
         */
        public Builder logFactory(Function<String, LogAPI> logFactory) {
            this.logFactory = logFactory;
            return this;
        }

        /**
         * Fails this fraction of LogAPI calls (writes, reads, term look-ups) with a {@link LogException}, before the
         * call touches the log, as a full disk or I/O error would. The simulation, like the runtime, treats such an
         * error as non-fatal. Default 0.
         */
        public Builder logFailureRate(double rate) {
            if (rate < 0 || rate >= 1) {
                throw new IllegalArgumentException("logFailureRate must be in [0, 1)");
            }
            this.logFailureRate = rate;
            return this;
        }

        /**
         * Models a durable state machine: a restarted node resumes applying after its last applied index instead of
         * re-applying the log from the start. Default false.
         */
        /**
         * Crashes a node at this fraction of its appends that follow messages sent ahead of them (a leader's batch
         * with its followers, not yet in its own log; {@link RaftConfig#leaderAppendOverlapsSend()}). Default 0.
         */
        public Builder crashBeforeEarlyAppendRate(double rate) {
            if (rate < 0 || rate >= 1) {
                throw new IllegalArgumentException("crashBeforeEarlyAppendRate must be in [0, 1)");
            }
            this.crashBeforeEarlyAppendRate = rate;
            return this;
        }

        public Builder durableStateMachine(boolean durable) {
            this.durableStateMachine = durable;
            return this;
        }

        /** Sees every non-empty {@link io.raftbus.engine.core.Ready} of every node, in order (default: none). */
        public Builder readyObserver(ReadyObserver observer) {
            this.readyObserver = observer;
            return this;
        }

        /** Sees every event the simulation handles or records, in order, as a trace shows it (default: none). */
        public Builder traceObserver(TraceObserver observer) {
            this.traceObserver = observer;
            return this;
        }

        /**
         * Gives every node a snapshot store kept across its crashes, and the model state machine snapshots (default
         * off: the nodes run exactly as without a store). The logs must support compaction.
         */
        public Builder snapshots(boolean on) {
            this.snapshots = on;
            return this;
        }

        /**
         * Runs client sessions over the model state machine, as {@code RaftNode.Builder.sessions} does: every
         * command must be a session command (payload {@code "<session>:<seq>:<attempt>"}), log time is stamped by
         * the leader with virtual time plus a per-node skew, and each (session, seq) must be applied at most once.
         * 0 (default): off.
         */
        public Builder sessions(long idleTimeoutMs) {
            this.sessionIdleTimeoutMs = idleTimeoutMs;
            return this;
        }

        /** The caps of every node's session table, as {@code RaftNode.Builder.sessionLimits}; default the defaults. */
        public Builder sessionLimits(io.raftbus.engine.session.SessionLimits limits) {
            this.sessionLimits = java.util.Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** A snapshot write completes 1 to this many virtual ms after the core asked for it (default 50). */
        public Builder snapshotWriteMaxDelayMs(long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("snapshotWriteMaxDelayMs must be >= 1");
            }
            this.snapshotWriteMaxDelayMs = ms;
            return this;
        }

        /** Fails this fraction of snapshot writes (the core is told with snapshotFailed). Default 0. */
        public Builder snapshotWriteFailureRate(double rate) {
            this.snapshotWriteFailureRate = rate;
            return this;
        }

        /**
         * Crashes the node right after this fraction of its snapshot writes became durable, before its core hears of
         * them (the window between the store's commit and the log's compaction). Default 0.
         */
        public Builder crashAfterSnapshotWriteRate(double rate) {
            this.crashAfterSnapshotWriteRate = rate;
            return this;
        }

        /**
         * Test only: every node's core may propose a membership change before it committed an entry of its term (the
         * known single-server change bug, {@link UnsafeCoreRules#skipTermCommitRule}). Default false.
         */
        public Builder unsafeSkipTermCommitRule(boolean skip) {
            this.unsafeSkipTermCommitRule = skip;
            return this;
        }

        public Simulation build() {
            return new Simulation(this);
        }
    }
}
