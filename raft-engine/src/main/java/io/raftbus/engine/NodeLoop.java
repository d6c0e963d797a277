package io.raftbus.engine;

import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.core.Ready;
import io.raftbus.engine.core.ReadyEffects;
import io.raftbus.engine.core.ReadyHandler;
import io.raftbus.engine.core.SnapshotRequest;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.trace.NodeTrace;
import io.raftbus.engine.trace.TraceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The body of a node's event-loop thread, the only thread that touches the {@link RaftCore}, the log and
 * the {@link StateMachine}. Each iteration: wait for an event until the core's next deadline
 * ({@link RaftCore#nextDeadline()}; an idle node wakes only for its own timers), advance the core's clock, feed it
 * every queued event (bounded), {@code tick} it (timers fire after the queued answers are heard), then take one
 * {@link Ready} and have the {@link ReadyHandler} (shared with the
 * simulation) carry it out through this loop's transport, state machine and futures, so that many submits become one
 * log append (group commit). A status snapshot is published after every iteration for other threads. A Ready that
 * completes this node's own futures and only tells followers the commit index has its messages sent after those
 * completions are handed over.
 *
 * <p>With a {@link SnapshotStore}: a snapshot the core asks for is captured here, right after the entries it covers
 * are applied, and written by the {@link SnapshotWorker}'s thread, whose outcome comes back as an event; a snapshot
 * installed from the leader is restored into the state machine here, before the entries after it are applied.
 */
final class NodeLoop implements Runnable {

    /** Most events fed to the core per iteration before its effects are handled. */
    static final int MAX_EVENTS_PER_ITERATION = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(NodeLoop.class);

    private final String nodeId;
    private final String clusterId;
    private final RaftCore core;
    private final EventQueue events;
    /** The configuration the transport was last told of (the one at start is not told: the transport knows it). */
    private Membership toldMembership;
    private final Transport transport;
    private final LogFailureWatch log;
    private final StateMachine stateMachine;
    private final LongSupplier clock;
    private final long tickIntervalMs;
    private final Callbacks callbacks;
    private final Consumer<RaftException> onFatal;
    private final CrashGate crashGate;
    private final NodeMetrics metrics;
    /** The node's recent events (see {@link RaftNode#recentEvents()}); when it is off nothing below is built. */
    private final NodeTrace trace;
    /** The status the last traced event left, and the messages sent since (trace on only). */
    private RaftStatus tracedStatus;
    private final List<RaftMessage> tracedSent = new ArrayList<>();
    /** The node's snapshot store, its writer thread and the takeSnapshot() calls waiting; all null without a store. */
    private final SnapshotStore snapshots;
    private final SnapshotWorker snapshotWorker;
    private final SnapshotWaiters snapshotWaiters = new SnapshotWaiters();
    /**
     * The event taken from the queue until it is handled: if the loop stops first (a crash, say), it is failed with
     * the queued ones (a submit the core saw is also pending, and fails as such first).
     */
    private NodeEvent untaken;
    private final Map<String, Long> runtimeDrops;
    private final PendingFutures pending = new PendingFutures();
    private final ReadyHandler readyHandler;
    /** Future completions decided during the current iteration, handed to the callback thread at its end. */
    private CompletionBatch completions;
    /**
     * Outcomes for callers blocked waiting on their futures, handed to them directly at the iteration's end
     * ({@link CompletionBatch#handToBlockedCallers}).
     */
    private final CompletionBatch blockedCallers;
    /** Batches the callback thread has run and cleared, for the loop to fill again ({@link CompletionBatch#next}). */
    private final AtomicReference<CompletionBatch> spareCompletions = new AtomicReference<>();
    /** With {@link RaftConfig#completeOnEventLoop()}: runs the batch on this loop when it may; else null. */
    private final DependentsOnLoop dependentsOnLoop;
    /**
     * Whether the current {@link Ready}'s messages wait until its completions are handed over ({@link #deferred});
     * see {@link #sendsWaitForCompletions(Ready)}.
     */
    private boolean deferSends;
    private final List<RaftMessage> deferred = new ArrayList<>();

    /** How long a transfer may take from request to a known new leader (the core gives up at half of it). */
    private final long transferTimeoutMs;
    /** A leadership transfer under way, and when to stop waiting for a new leader to be known. */
    private NodeEvent.Transfer transfer;
    private long transferDeadline;
    private long transferTerm;

    private volatile RaftStatus status;
    /** The last ready() left committed entries to hand out: the next iteration does not wait for an event. */
    private boolean moreToApply;
    private volatile Map<String, Long> dropCounts = Map.of();
    /** The total of the drop counts last published (event loop only). */
    private long publishedDrops = -1;
    private RaftStatus notifiedStatus;
    private long lastNow;
    private long logFailures;
    private long lastLogFailureReportAt = Long.MIN_VALUE;

    /**
     * @param log the node's log, watched for a permanent failure (which stops the node)
     * @param runtimeDrops live view of drops counted outside the core (read when publishing drop counts)
     * @param onFatal told (on the loop thread) of an error that stops the node, before pending futures are failed
     * @param crashGate every message sent and every apply passes it (the log's calls too, through {@code log}); the
     *                  loop holds it open for each iteration after its wait
     * @param snapshots the node's snapshot store, which the loop closes when it stops; null for none
     * @param startedAt the clock's reading the core was created with
     * @param metrics fed with sent messages and each iteration's status
     * @param trace keeps the recent events: each one handled, then each iteration's tick and effects
     */
    NodeLoop(String nodeId, String clusterId, RaftCore core, EventQueue events, Transport transport,
             LogFailureWatch log, StateMachine stateMachine, LongSupplier clock, RaftConfig config,
             Callbacks callbacks, Map<String, Long> runtimeDrops, Consumer<RaftException> onFatal,
             CrashGate crashGate, SnapshotStore snapshots, long startedAt, NodeMetrics metrics, NodeTrace trace) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.core = core;
        this.events = events;
        this.transport = transport;
        this.log = log;
        this.stateMachine = stateMachine;
        this.clock = clock;
        this.tickIntervalMs = config.tickIntervalMs();
        this.callbacks = callbacks;
        this.runtimeDrops = runtimeDrops;
        this.onFatal = onFatal;
        this.crashGate = crashGate;
        this.metrics = metrics;
        this.trace = trace;
        this.snapshots = snapshots;
        this.snapshotWorker = snapshots == null ? null
                : new SnapshotWorker(nodeId, snapshots, crashGate, events::offerSnapshotEvent);
        this.transferTimeoutMs = 2 * config.electionTimeoutMaxMs();
        this.lastNow = startedAt;
        this.completions = new CompletionBatch(nodeId, 16, spareCompletions);
        this.blockedCallers = new CompletionBatch(nodeId, 4);
        this.dependentsOnLoop = config.completeOnEventLoop() ? new DependentsOnLoop() : null;
        this.status = core.status();
        this.readyHandler = new ReadyHandler(nodeId, clusterId, config, status.lastApplied(), new LoopEffects());
        core.earlySendSink(this::send); // a leader's batch goes out while it is appended (through the crash gate)
        this.notifiedStatus = status;
        this.tracedStatus = status;
        publishDropCounts();
    }

    RaftStatus status() {
        return status;
    }

    Map<String, Long> dropCounts() {
        return dropCounts;
    }

    @Override
    public void run() {
        RaftException fatal = null;
        try {
            loop();
        } catch (FatalApplyException e) {
            fatal = e.toRaftException(nodeId);
        } catch (FatalLogException e) {
            fatal = e.toRaftException(nodeId);
        } catch (InterruptedException e) {
            fatal = new RaftException("node " + nodeId + " stopped: its event loop was interrupted", e);
        } catch (RuntimeException | Error e) {
            fatal = new RaftException("node " + nodeId + " stopped: its event loop failed: " + e, e);
        }
        if (crashGate.isShut()) { // whatever ended the loop, a crash explains it: no hand-over, no fatal error
            shutDown(() -> new NodeCrashedException("node " + nodeId + " crashed (RaftNode.crash()) before the"
                            + " outcome was known; the rest of the cluster may still commit it"),
                    () -> new NodeClosedException("node " + nodeId + " crashed (RaftNode.crash()) before its event"
                            + " loop took this request; not applied"));
            return;
        }
        if (fatal != null) {
            LOG.error("{}", fatal.getMessage(), fatal.getCause());
            onFatal.accept(fatal);
            callbacks.fatalError(fatal);
        }
        RaftException cause = fatal;
        Supplier<RaftException> failure = cause == null ? () -> new NodeClosedException("node " + nodeId + " closed")
                : () -> new RaftException(cause.getMessage(), cause.getCause());
        shutDown(failure, failure);
    }

    private void loop() throws InterruptedException {
        long logFailuresSeen = logFailures;
        tellTransportOfMembership(); // the configuration it starts with, before waiting for anything
        while (!crashGate.isShut()) {
            // committed entries still to apply (a backlog comes in bounded chunks): take what is queued, don't wait;
            // else wait for an event until the core's next deadline (a transfer's, if sooner), asked afresh each
            // time: a deadline already past means no wait; after a log failure, a tick before trying again
            long deadline = transfer == null ? core.nextDeadline() : Math.min(core.nextDeadline(), transferDeadline);
            long now = Math.max(lastNow, clock.getAsLong());
            long waitMs = deadline <= now ? 0 : deadline - now < 0 ? Long.MAX_VALUE : deadline - now; // < 0: overflow
            if (logFailures != logFailuresSeen) {
                waitMs = Math.max(waitMs, tickIntervalMs);
                logFailuresSeen = logFailures;
            }
            NodeEvent event = moreToApply || waitMs == 0 ? events.poll() : events.poll(waitMs);
            untaken = event;
            if (!crashGate.open()) { // the rest of the iteration's effects pass the gate without locking it
                return;
            }
            try {
                if (!iterate(event)) {
                    return;
                }
            } finally {
                crashGate.close();
            }
        }
    }

    /**
     * One iteration after the wait, {@code event} (or null) first: feeds the core the queued events, ticks it and
     * carries out its {@link Ready}. Runs with the crash gate held open. False when the loop is to stop: a close
     * request, or the node crashed (from an apply: the holder of the gate shut it).
     */
    private boolean iterate(NodeEvent event) throws InterruptedException {
        moreToApply = false;
        lastNow = Math.max(lastNow, clock.getAsLong());
        // the clock first, then the queued events, then the timers: what queued while this thread was stalled
        // (a slow fsync, a GC pause) is heard before CheckQuorum or an election timer judges the silence
        core.advanceClock(lastNow);
        try {
            int handled = 0;
            while (event != null) {
                if (event instanceof NodeEvent.Close || crashGate.isShut()) {
                    return false;
                }
                handle(event);
                untaken = null;
                if (trace.isOn()) {
                    traced(describe(event), core.status());
                }
                if (++handled >= MAX_EVENTS_PER_ITERATION) {
                    break;
                }
                event = events.poll();
                untaken = event;
            }
            try {
                core.tick(lastNow);
            } catch (LogException e) {
                logFailure("advancing timers", e);
            }
            Ready ready;
            try {
                ready = core.ready();
                moreToApply = core.hasCommittedToHandOut();
            } catch (LogException e) { // waits a tick before trying again
                logFailure("collecting effects", e);
                ready = Ready.EMPTY;
            }
            tellTransportOfMembership(); // before the messages: a new member may be among their receivers
            deferSends = sendsWaitForCompletions(ready);
            readyHandler.handle(ready);
            stopIfTheLogFailedPermanently(); // also when the core caught the failure (a command's append)
            serveSnapshotWaiters();
            // published before the completions are handed over, so a caller whose future just completed reads a
            // status at least as new as that completion (commit and applied indexes include its command)
            status = core.status();
            if (trace.isOn()) {
                traced(TraceEvent.TIMER, status); // the messages of the iteration go out here
            }
            publishDropCounts();
            followTransfer();
        } finally {
            // also on a fatal error: what was decided before it is still delivered
            flushCompletions();
        }
        sendDeferred();
        metrics.observe(status);
        if (roleLeaderOrMembershipChanged(notifiedStatus, status)) {
            LOG.info("node {}: {} in term {}, leader {}, voters {}, learners {}", nodeId, status.role(),
                    status.term(), status.leaderId() == null ? "unknown" : status.leaderId(), status.voters(),
                    status.learners());
            callbacks.statusChanged(notifiedStatus, status);
        }
        notifiedStatus = status;
        return true;
    }

    private void traced(Object event, RaftStatus after) {
        trace.record(lastNow, nodeId, event, tracedStatus, after, tracedSent);
        tracedStatus = after;
        tracedSent.clear();
    }

    /** What a trace shows of an event: an inbound message itself, otherwise a few words. */
    private static Object describe(NodeEvent event) {
        if (event instanceof NodeEvent.Inbound inbound) {
            return inbound.message();
        }
        if (event instanceof NodeEvent.Submit submit) {
            return (submit.read() ? "read #" : "submit #") + submit.proposalId();
        }
        if (event instanceof NodeEvent.Transfer request) {
            return "transfer leadership to " + (request.target() == null ? "the best" : request.target());
        }
        if (event instanceof NodeEvent.ChangeMembership change) {
            return "membership change #" + change.proposalId() + ": " + change.change();
        }
        if (event instanceof NodeEvent.SnapshotDone done) {
            return "snapshot " + done.index() + (done.taken() != null ? " durable" : " failed");
        }
        return event.getClass().getSimpleName();
    }


    private static boolean roleLeaderOrMembershipChanged(RaftStatus before, RaftStatus after) {
        return before != after && (before.role() != after.role() || !Objects.equals(before.leaderId(), after.leaderId())
                || !before.voters().equals(after.voters()) || !before.learners().equals(after.learners()));
    }

    private void handle(NodeEvent event) {
        if (event instanceof NodeEvent.Inbound inbound) {
            try {
                core.receive(inbound.message());
            } catch (LogException e) {
                logFailure("handling a " + inbound.message().getClass().getSimpleName(), e);
            }
        } else if (event instanceof NodeEvent.Transfer request) {
            startTransfer(request);
        } else if (event instanceof NodeEvent.SnapshotDone done) {
            snapshotDone(done);
        } else if (event instanceof NodeEvent.TakeSnapshot take) {
            takeSnapshot(take);
        } else if (event instanceof NodeEvent.ChangeMembership change) {
            pending.put(change.proposalId(), change.future());
            try {
                core.changeMembership(change.proposalId(), change.change());
            } catch (LogException e) {
                pending.remove(change.proposalId());
                logFailure("appending a membership change", e);
                String why = "node " + nodeId + " could not append the membership change: " + e.getMessage();
                RaftException failure = e.isPermanent() ? new CommandOutcomeUnknownException(why + "; the write may"
                        + " survive a restart", e) : new CommandNotAppendedException(why + "; safe to retry");
                completions.fail(change.future(), failure);
            } catch (RaftException refused) {
                pending.remove(change.proposalId());
                completions.fail(change.future(), refused);
            }
        } else if (event instanceof NodeEvent.Submit submit) {
            // pending first: if the core fails fatally, the shutdown fails this future too
            pending.put(submit.proposalId(), submit.future());
            try {
                if (submit.read()) {
                    core.submitRead(submit.proposalId(), submit.command());
                } else {
                    core.submit(submit.proposalId(), submit.command());
                }
            } catch (RaftException refused) {
                pending.remove(submit.proposalId());
                completions.fail(submit.future(), refused);
            }
        }
    }

    /** Tells the transport when the configuration in force changed (the core keeps one instance per change). */
    private void tellTransportOfMembership() {
        Membership now = core.membership();
        if (now == toldMembership) {
            return;
        }
        toldMembership = now;
        try {
            transport.membershipChanged(now);
        } catch (RuntimeException e) {
            LOG.warn("node {}: the transport failed to take membership {}: {}", nodeId, now, e.toString());
        }
    }

    /** The snapshot thread's outcome: the core compacts the log (or tries again later); waiters learn it. */
    private void snapshotDone(NodeEvent.SnapshotDone done) {
        try {
            if (done.taken() != null) {
                core.snapshotTaken(done.taken());
            } else {
                core.snapshotFailed(done.index(), done.failure());
            }
        } catch (LogException e) {
            logFailure("compacting the log after a snapshot", e);
        }
        if (done.taken() == null) {
            snapshotWaiters.failAll(new RaftException("node " + nodeId + ": the snapshot at index " + done.index()
                    + " failed: " + done.failure()), completions::add);
        }
    }

    /**
     * A {@link RaftNode#takeSnapshot()}: done at once if the latest durable snapshot covers every applied entry,
     * else waits for one that does, asking the core for it.
     */
    private void takeSnapshot(NodeEvent.TakeSnapshot take) {
        RaftException refused = null;
        long applied = core.status().lastApplied();
        if (snapshots == null) {
            refused = new RaftException("node " + nodeId + " has no snapshot store (RaftNode.Builder.snapshotStore"
                    + " or snapshotDirectory)");
        } else if (applied == 0) {
            refused = new RaftException("node " + nodeId + " has applied nothing yet: there is nothing to snapshot");
        }
        if (refused != null) {
            RaftException cause = refused;
            completions.fail(take.result(), cause);
            return;
        }
        snapshotWaiters.add(applied, take.result());
        serveSnapshotWaiters();
    }

    /** Completes the takeSnapshot() calls the latest durable snapshot satisfies; asks the core for one if needed. */
    private void serveSnapshotWaiters() {
        if (snapshotWaiters.isEmpty()) {
            return;
        }
        // the core's latest, not the store's: one the snapshot thread just committed is reported (and the log
        // compacted behind it) by its SnapshotDone event first, so the status is up to date when a waiter completes
        long known = core.status().snapshotIndex();
        Optional<SnapshotInfo> latest = snapshots.latest().filter(info -> info.index() <= known);
        latest.ifPresent(info -> snapshotWaiters.serve(info, completions::add));
        if (snapshotWaiters.needMoreThan(latest.map(SnapshotInfo::index).orElse(0L))) {
            try {
                core.requestSnapshot(); // 0 when one is being taken already: its outcome serves the waiters again
            } catch (RuntimeException e) {
                snapshotWaiters.failAll(new RaftException("node " + nodeId + " cannot take a snapshot now: " + e, e),
                        completions::add);
            }
        }
    }

    private void startTransfer(NodeEvent.Transfer request) {
        String target;
        try {
            target = core.transferLeadership(request.target());
        } catch (RaftException | IllegalArgumentException | IllegalStateException refused) {
            settle(request, null, refused);
            return;
        }
        if (transfer != null) {
            settle(transfer, null, new RaftException("superseded by a transfer of leadership to " + target));
        }
        transfer = request;
        transferDeadline = lastNow + transferTimeoutMs;
        transferTerm = core.status().term();
    }

    /** Settles the transfer under way once this node knows the new leader, or the transfer failed. */
    private void followTransfer() {
        if (transfer == null) {
            return;
        }
        if (status.role() != Role.LEADER) {
            if (status.leaderId() != null) {
                settle(transfer, status.leaderId(), null);
            } else if (status.term() == transferTerm) {
                settle(transfer, null, new RaftException("node " + nodeId + " stepped down (CheckQuorum) before"
                        + " handing leadership over"));
            } else if (lastNow >= transferDeadline) {
                settle(transfer, null, new RaftException("node " + nodeId + " stepped down but learned of no new"
                        + " leader within " + transferTimeoutMs + " ms"));
            } else {
                return;
            }
        } else if (!core.isTransferringLeadership()) {
            settle(transfer, null, new RaftException("node " + nodeId + " could not hand leadership over (no"
                    + " follower answered, or the target did not catch up and win within an election timeout); it"
                    + " still leads"));
        } else {
            return;
        }
        transfer = null;
    }

    private void settle(NodeEvent.Transfer request, String newLeader, Throwable failure) {
        Runnable completion = failure == null ? () -> request.result().complete(newLeader)
                : () -> request.result().completeExceptionally(failure);
        if (request.completeOnLoop()) {
            completion.run();
        } else {
            completions.add(completion);
        }
    }

    /**
     * A log read or write failed. The core leaves its state as it was before the failed call (the LogAPI is atomic),
     * so the node carries on: the message counts as lost, a timer fires again at a later tick. Logged at most once
     * a second. A permanent failure stops the node instead.
     */
    private void logFailure(String what, LogException e) {
        stopIfTheLogFailedPermanently();
        logFailures++;
        long now = lastNow;
        if (now - lastLogFailureReportAt >= 1000 || lastLogFailureReportAt == Long.MIN_VALUE) {
            lastLogFailureReportAt = now;
            LOG.warn("node {}: the log failed while {} ({} log failures so far); carrying on", nodeId, what,
                    logFailures, e);
        }
    }

    /** A log that can no longer work stops the node: it could neither vote nor replicate nor apply again. */
    private void stopIfTheLogFailedPermanently() {
        LogException failure = log.permanentFailure();
        if (failure != null) {
            throw new FatalLogException(failure);
        }
    }

    /**
     * Whether this Ready's messages go out only after its completions are handed to the callback thread: when it
     * applies committed entries, this node has futures pending (a leader completing its callers' commands) and every
     * message is an AppendEntries without entries: they only tell followers the new commit index. Each send wakes a
     * follower's loop, which on a small machine takes the core the callback thread and the caller need next, while
     * nothing waits on the follower: the caller learns its outcome first (see "Where one command's 50-70 us go" in
     * docs/PERFORMANCE.md). Entries are never held back (replication under load keeps its pace), nor is any other
     * message (a follower's answer, a vote).
     */
    private boolean sendsWaitForCompletions(Ready ready) {
        if (ready.committed().size() == 0 || pending.size() == 0) {
            return false;
        }
        List<RaftMessage> messages = ready.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof AppendEntriesRequest request) || !request.entries().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Sends the messages held back by {@link #deferSends}, in the core's order. */
    private void sendDeferred() {
        deferSends = false;
        if (deferred.isEmpty()) {
            return;
        }
        try {
            for (int i = 0; i < deferred.size(); i++) {
                transmit(deferred.get(i));
            }
        } finally {
            deferred.clear();
        }
    }

    /**
     * Hands this iteration's outcomes to the callers blocked on their futures (each completes its own), then the
     * other completions to the callback thread, in one task; the next batch is one the callback thread has run and
     * handed back, or a new one as large. With {@link RaftConfig#completeOnEventLoop()}, this thread completes the
     * other futures itself instead (their dependents run here), when the batch holds only submits' and reads'
     * futures and the callback thread has run everything handed to it before: nothing decided earlier is still
     * undelivered, so outcomes still complete in the order decided.
     */
    private void flushCompletions() {
        if (!blockedCallers.isEmpty()) {
            blockedCallers.handToBlockedCallers(completions); // one who gave up meanwhile: the callback thread
        }
        if (!completions.isEmpty()) {
            if (dependentsOnLoop != null && completions.onlySubmitFutures() && callbacks.idle()) {
                dependentsOnLoop.run(completions);
                return;
            }
            CompletionBatch batch = completions;
            completions = CompletionBatch.next(nodeId, batch, spareCompletions);
            callbacks.run(batch);
        }
    }

    /**
     * The runtime's side of carrying out a {@link Ready}: the transport, the state machine (a throw is fatal) and the
     * callers' futures, completed at the end of the iteration by the caller blocked waiting on one
     * ({@link BlockedCallerFuture}), else on the callback thread.
     */
    private final class LoopEffects implements ReadyEffects {

        @Override
        public void send(RaftMessage message) {
            if (!deferSends) {
                NodeLoop.this.send(message);
                return;
            }
            deferred.add(message);
            if (trace.isOn()) {
                tracedSent.add(message); // traced with the iteration that decided it, though it goes out after
            }
        }

        @Override
        public byte[] apply(LogEntry entry) {
            if (entry.type() != EntryType.COMMAND) {
                return null;
            }
            boolean entered = crashGate.enter(); // throws Crashed, as is, after the crash point
            try {
                return stateMachine.apply(entry.index(), entry.payload());
            } catch (CrashGate.Crashed e) {
                throw e;
            } catch (LogException e) {
                if (e.isPermanent()) { // a state machine sharing the log's storage (SqliteStateMachine) met its failure
                    throw new FatalLogException(e);
                }
                throw new FatalApplyException(entry.index(), e);
            } catch (RuntimeException | Error e) {
                throw new FatalApplyException(entry.index(), e);
            } finally {
                crashGate.leave(entered);
            }
        }

        @Override
        public byte[] query(byte[] query) {
            return stateMachine.query(query);
        }

        @Override
        public void completeCommand(long proposalId, long index, byte[] result) {
            complete(proposalId, result);
        }

        @Override
        public void completeRead(long proposalId, long readIndex, byte[] result) {
            complete(proposalId, result);
        }

        /**
         * Whether every outcome and notification decided before now has been delivered or will be before a blocked
         * caller's: nothing waits in this iteration's batch for the callback thread, and that thread has run all it
         * was handed. Only then may a blocked caller complete its own future, so futures still complete in the
         * order the loop decided their outcomes; otherwise the outcome goes through the callback thread, in order.
         */
        private boolean nothingEarlierUndelivered() {
            return completions.isEmpty() && callbacks.idle();
        }

        private void complete(long proposalId, byte[] result) {
            CompletableFuture<byte[]> future = pending.remove(proposalId);
            if (future instanceof BlockedCallerFuture blocked && blocked.hasWaiter() && nothingEarlierUndelivered()) {
                blockedCallers.complete(blocked, result);
            } else if (future != null) {
                completions.complete(future, result);
            }
        }

        @Override
        public void fail(long proposalId, RaftException cause) {
            CompletableFuture<byte[]> future = pending.remove(proposalId);
            if (future instanceof BlockedCallerFuture blocked && blocked.hasWaiter() && nothingEarlierUndelivered()) {
                blockedCallers.fail(blocked, cause);
            } else if (future != null) {
                completions.fail(future, cause);
            }
        }

        @Override
        public long term() {
            return core.status().term();
        }

        /** Restores the state machine from a snapshot the core installed (durable in the store); a failure is fatal. */
        @Override
        public void restoreSnapshot(SnapshotInfo snapshot) {
            try {
                crashGate.pass(() -> {
                    try (InputStream in = snapshots.open(snapshot)) {
                        stateMachine.restoreSnapshot(snapshot, in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (CrashGate.Crashed e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw new FatalApplyException(snapshot.index(), e instanceof UncheckedIOException u ? u.getCause() : e,
                        true);
            }
        }

        /**
         * Captures the state now (every entry up to the request's index is applied) and has the snapshot thread write
         * it. A capture that throws fails this snapshot only: the state is unchanged, a later one is tried.
         */
        @Override
        public void takeSnapshot(SnapshotRequest request) {
            StateSnapshot captured;
            try {
                captured = crashGate.pass(() -> stateMachine.captureSnapshot());
            } catch (CrashGate.Crashed e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("node {}: capturing the state for a snapshot at index {} failed", nodeId, request.index(), e);
                events.offerSnapshotEvent(new NodeEvent.SnapshotDone(request.index(), null,
                        "the state machine's captureSnapshot threw " + e));
                return;
            }
            snapshotWorker.write(request, captured);
        }
    }

    /** Sends a message now and traces it with the current iteration. */
    private void send(RaftMessage message) {
        transmit(message);
        if (trace.isOn()) {
            tracedSent.add(message);
        }
    }

    /** Hands a message to the transport, through the crash gate; a transport that throws loses it (logged). */
    private void transmit(RaftMessage message) {
        boolean entered = crashGate.enter(); // throws Crashed, as is, after the crash point
        try {
            transport.send(message);
        } catch (CrashGate.Crashed e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("node {}: transport threw sending {} (transports must not throw); message dropped", nodeId,
                    message.getClass().getSimpleName(), e);
            return;
        } finally {
            crashGate.leave(entered);
        }
        metrics.sent(message);
    }

    /** Publishes the drop counts if any changed since they were last published (an idle loop copies nothing). */
    private void publishDropCounts() {
        long total = core.dropped();
        if (!runtimeDrops.isEmpty()) {
            for (Long n : runtimeDrops.values()) {
                total += n;
            }
        }
        if (total == publishedDrops) {
            return;
        }
        publishedDrops = total;
        Map<String, Long> merged = new HashMap<>(core.dropCounts());
        runtimeDrops.forEach((cause, n) -> merged.merge(cause, n, Long::sum));
        dropCounts = Map.copyOf(merged);
    }

    /**
     * Fails everything still waiting, then releases the transport and the log, which the node owns.
     *
     * @param failure for what the core had taken (commands, reads, a transfer)
     * @param unseen  for what was still queued for the loop, which the core never saw
     */
    private void shutDown(Supplier<RaftException> failure, Supplier<RaftException> unseen) {
        pending.removeAll(future -> completions.fail(future, failure.get()));
        if (transfer != null) {
            settle(transfer, null, failure.get());
            transfer = null;
        }
        snapshotWaiters.failAll(failure.get(), completions::add);
        List<NodeEvent> unseenEvents = new ArrayList<>(events.drain());
        if (untaken != null) {
            unseenEvents.add(untaken);
        }
        for (NodeEvent event : unseenEvents) {
            if (event instanceof NodeEvent.Submit submit) {
                completions.fail(submit.future(), unseen.get());
            } else if (event instanceof NodeEvent.Transfer request) {
                settle(request, null, unseen.get());
            } else if (event instanceof NodeEvent.TakeSnapshot take) {
                completions.fail(take.result(), unseen.get());
            } else if (event instanceof NodeEvent.ChangeMembership change) {
                completions.fail(change.future(), unseen.get());
            }
        }
        flushCompletions();
        callbacks.finish();
        try {
            status = core.status();
        } catch (RuntimeException e) {
            LOG.debug("node {}: no final status", nodeId, e);
        }
        if (snapshotWorker != null) {
            snapshotWorker.stop(RaftNode.CLOSE_TIMEOUT_MS);
        }
        closeQuietly(transport, "transport");
        if (snapshots != null) {
            closeQuietly(snapshots, "snapshot store");
        }
        closeQuietly(log, "log");
    }

    private void closeQuietly(AutoCloseable resource, String what) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("node {}: closing its {} failed", nodeId, what, e);
        }
    }

    /** The log failed permanently (see {@link LogException#isPermanent()}): the node stops until restarted. */
    private static final class FatalLogException extends RuntimeException {
        FatalLogException(LogException cause) {
            super(cause);
        }

        RaftException toRaftException(String nodeId) {
            return new RaftException("node " + nodeId + " stopped: its log failed permanently and can no longer be"
                    + " used; check the storage and restart the node (" + getCause().getMessage() + ")", getCause());
        }
    }

    /** The state machine threw: an application bug that stops the node (the entry is never skipped). */
    private static final class FatalApplyException extends RuntimeException {
        private final long index;

        private final boolean restoring;

        FatalApplyException(long index, Throwable cause) {
            this(index, cause, false);
        }

        /** {@code restoring}: while restoring the snapshot at {@code index} (the state machine's or store's fault). */
        FatalApplyException(long index, Throwable cause, boolean restoring) {
            super(cause);
            this.index = index;
            this.restoring = restoring;
        }

        RaftException toRaftException(String nodeId) {
            if (restoring) {
                return new RaftException("node " + nodeId + " stopped: restoring the state machine from the snapshot"
                        + " at index " + index + " failed (" + getCause() + "); check the state machine and the"
                        + " snapshot store, then restart the node", getCause());
            }
            return new RaftException("node " + nodeId + " stopped: the state machine threw while applying index "
                    + index + "; fix the application and restart the node (the entry is never skipped)", getCause());
        }
    }
}
