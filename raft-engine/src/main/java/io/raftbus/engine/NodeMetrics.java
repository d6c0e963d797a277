package io.raftbus.engine;

import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Live counters and gauges of one {@link RaftNode} ({@link RaftNode#metrics()}), readable from any thread at any
 * time without locks or allocation (except the map-returning summaries). The node feeds them as it runs; they count
 * from when the node was built and never reset. No metrics library is involved: binders such as
 * {@code io.raftbus.metrics.RaftMetrics} (module {@code metrics-micrometer}) expose them.
 *
 * <ul>
 *   <li>Gauges from the latest {@link RaftStatus}: {@link #role()}, {@link #term()}, {@link #commitIndex()},
 *       {@link #lastApplied()}, {@link #applyLag()}, {@link #lastLogIndex()}, {@link #snapshotIndex()}.</li>
 *   <li>Elections and leaders, as seen at the end of each event-loop iteration: {@link #electionsStarted()},
 *       {@link #electionsWon()}, {@link #preVotesStarted()}, {@link #leaderChanges()}, {@link #roleChanges()}.
 *       A node that starts and ends a campaign within one iteration (a single-member cluster) counts it as
 *       started and won; a candidate that times out and campaigns again within one iteration counts once.</li>
 *   <li>Messages the transport delivered to the node and the node handed to the transport, by message type
 *       ({@link #messagesReceived(Class)}, {@link #messagesSent(Class)}); inbound messages dropped, by cause
 *       ({@link #dropCounts()}); answers to commands and reads this node forwarded to the leader, by
 *       {@link CommandResponse.Status} ({@link #forwardAnswers(CommandResponse.Status)}).</li>
 *   <li>Outcomes of {@link RaftNode#submit} and {@link RaftNode#read} futures, by {@link Outcome}
 *       ({@link #commands(Outcome)}, {@link #reads(Outcome)}), counted before the future completes (so a caller
 *       that saw it complete sees the count); {@link Outcome#BACKPRESSURE} is the backpressure rejections.
 *       Commands and reads of external clients (CommandRequests) are not futures here: see
 *       {@link #messagesReceived(Class)}.</li>
 *   <li>Log latencies, each including the write's fsync: {@link #logAppend()} (entries), {@link #logHardState()}
 *       (term and vote).</li>
 * </ul>
 */
public final class NodeMetrics {

    /** Every {@link RaftMessage} type, in declaration order. */
    public static final List<Class<? extends RaftMessage>> MESSAGE_TYPES = messageTypes();

    /** How a submit or a read ended, from the exception that failed its future (success: {@link #SUCCEEDED}). */
    public enum Outcome {
        /** Applied (a command) or answered (a read). */
        SUCCEEDED,
        /** {@link NotLeaderException}: no leader known, or forwarding off. Certainly not applied. */
        NOT_LEADER,
        /** {@link BackpressureException}: too many pending; rejected before anything was appended. */
        BACKPRESSURE,
        /** {@link CommandTooLargeException}. */
        TOO_LARGE,
        /** {@link ReadNotServedException}: the read was not served (leadership changed, or it timed out). */
        READ_NOT_SERVED,
        /** Another {@link RetriableCommandException} (not appended, not committed): certainly not applied. */
        NOT_APPLIED,
        /** {@link CommandOutcomeUnknownException} (timeouts, crashes): may have been applied. */
        OUTCOME_UNKNOWN,
        /** {@link NodeClosedException}: the node was not running, or closed first. */
        CLOSED,
        /** Anything else, for example a query that threw or a node stopped by a fatal error. */
        FAILED;

        /** The outcome a future failed with {@code error} (null: success) stands for. */
        public static Outcome of(Throwable error) {
            if (error == null) {
                return SUCCEEDED;
            } else if (error instanceof NotLeaderException) {
                return NOT_LEADER;
            } else if (error instanceof BackpressureException) {
                return BACKPRESSURE;
            } else if (error instanceof ReadNotServedException) {
                return READ_NOT_SERVED;
            } else if (error instanceof RetriableCommandException) {
                return NOT_APPLIED;
            } else if (error instanceof CommandOutcomeUnknownException) {
                return OUTCOME_UNKNOWN;
            } else if (error instanceof CommandTooLargeException) {
                return TOO_LARGE;
            } else if (error instanceof NodeClosedException) {
                return CLOSED;
            }
            return FAILED;
        }
    }

    private final Supplier<RaftStatus> status;
    private final Supplier<Map<String, Long>> drops;
    private final Map<Class<?>, LongAdder> received = counterPerType();
    private final Map<Class<?>, LongAdder> sent = counterPerType();
    private final LongAdder[] forwardAnswers = adders(CommandResponse.Status.values().length);
    private final OutcomeCounts commands;
    private final OutcomeCounts reads;
    private final LongAdder electionsStarted = new LongAdder();
    private final LongAdder electionsWon = new LongAdder();
    private final LongAdder preVotesStarted = new LongAdder();
    private final LongAdder leaderChanges = new LongAdder();
    private final LongAdder roleChanges = new LongAdder();
    private final Latency logAppend = new Latency();
    private final Latency logHardState = new Latency();
    /** Count a submit's or a read's outcome, given null or the failure (shared by every future: no allocation). */
    final Consumer<Throwable> commandOutcome;
    final Consumer<Throwable> readOutcome;

    // the last status observed, on the event-loop thread only
    private Role seenRole = Role.FOLLOWER;
    private long seenTerm;
    private String seenLeader;

    /**
     * @param onCallbackThread whether the calling thread is the node's callback thread, which counts most outcomes
     *                         (see {@link OutcomeCounts})
     */
    NodeMetrics(Supplier<RaftStatus> status, Supplier<Map<String, Long>> drops, BooleanSupplier onCallbackThread) {
        this.status = status;
        this.drops = drops;
        this.commands = new OutcomeCounts(onCallbackThread);
        this.reads = new OutcomeCounts(onCallbackThread);
        this.commandOutcome = error -> commands.count(Outcome.of(error));
        this.readOutcome = error -> reads.count(Outcome.of(error));
    }

    /** The node's current role. */
    public Role role() {
        return status.get().role();
    }

    /** The node's current term. */
    public long term() {
        return status.get().term();
    }

    /** Highest index known committed. */
    public long commitIndex() {
        return status.get().commitIndex();
    }

    /** Highest index applied to the state machine. */
    public long lastApplied() {
        return status.get().lastApplied();
    }

    /** Committed entries not applied yet: {@code commitIndex - lastApplied} (of one status, so never negative). */
    public long applyLag() {
        RaftStatus s = status.get();
        return Math.max(0, s.commitIndex() - s.lastApplied());
    }

    /** Last index in the local log. */
    public long lastLogIndex() {
        return status.get().lastLogIndex();
    }

    /** Index of the latest durable snapshot (0: none). */
    public long snapshotIndex() {
        return status.get().snapshotIndex();
    }

    /** Campaigns this node started (it became a candidate, or campaigned again in a higher term). */
    public long electionsStarted() {
        return electionsStarted.sum();
    }

    /** Times this node became leader. */
    public long electionsWon() {
        return electionsWon.sum();
    }

    /** PreVote rounds this node started (became a pre-candidate). */
    public long preVotesStarted() {
        return preVotesStarted.sum();
    }

    /** Times this node learned of a leader other than the last one it knew (the first leader counts). */
    public long leaderChanges() {
        return leaderChanges.sum();
    }

    /** Times this node's role changed. */
    public long roleChanges() {
        return roleChanges.sum();
    }

    /** Messages of {@code type} the transport delivered to this node (dropped ones included). */
    public long messagesReceived(Class<? extends RaftMessage> type) {
        LongAdder n = received.get(type);
        return n == null ? 0 : n.sum();
    }

    /** Messages of {@code type} this node handed to its transport. */
    public long messagesSent(Class<? extends RaftMessage> type) {
        LongAdder n = sent.get(type);
        return n == null ? 0 : n.sum();
    }

    /** Received messages by type's simple name, types never received left out. A summary: allocates. */
    public Map<String, Long> messagesReceived() {
        return summary(received);
    }

    /** Sent messages by type's simple name, types never sent left out. A summary: allocates. */
    public Map<String, Long> messagesSent() {
        return summary(sent);
    }

    /** Inbound messages dropped, by cause: the same as {@link RaftNode#dropCounts()}. */
    public Map<String, Long> dropCounts() {
        return drops.get();
    }

    /** Inbound messages dropped for {@code cause} (a key of {@link #dropCounts()}). */
    public long dropCount(String cause) {
        return drops.get().getOrDefault(cause, 0L);
    }

    /** Inbound messages dropped, all causes. */
    public long droppedTotal() {
        long total = 0;
        for (long n : drops.get().values()) {
            total += n;
        }
        return total;
    }

    /** Answers this node received, with {@code status}, to commands and reads it forwarded to the leader. */
    public long forwardAnswers(CommandResponse.Status status) {
        return forwardAnswers[status.ordinal()].sum();
    }

    /** Submitted commands whose future ended with {@code outcome}. */
    public long commands(Outcome outcome) {
        return commands.get(outcome);
    }

    /** Reads whose future ended with {@code outcome}. */
    public long reads(Outcome outcome) {
        return reads.get(outcome);
    }

    /** Durations of log appends (a batch of entries made durable). */
    public Latency logAppend() {
        return logAppend;
    }

    /** Durations of hard-state saves (term and vote made durable). */
    public Latency logHardState() {
        return logHardState;
    }

    /**
     * A one-line summary for logs: role, term, leader, commit and applied indexes, elections won/started, leader
     * changes, commands succeeded/ended, backpressure rejections, reads succeeded, drops, mean (max) log latencies.
     */
    @Override
    public String toString() {
        RaftStatus s = status.get();
        long submitted = 0;
        for (Outcome outcome : Outcome.values()) {
            submitted += commands.get(outcome);
        }
        return s.role() + " term=" + s.term() + " leader=" + (s.leaderId() == null ? "-" : s.leaderId())
                + " commit=" + s.commitIndex() + " applied=" + s.lastApplied()
                + " elections=" + electionsWon() + "/" + electionsStarted() + " leaderChanges=" + leaderChanges()
                + " commands=" + commands(Outcome.SUCCEEDED) + "/" + submitted
                + " backpressure=" + (commands(Outcome.BACKPRESSURE) + reads(Outcome.BACKPRESSURE))
                + " reads=" + reads(Outcome.SUCCEEDED)
                + " dropped=" + droppedTotal() + " append=" + micros(logAppend) + " hardState=" + micros(logHardState);
    }

    private static String micros(Latency latency) {
        long n = latency.count();
        return n == 0 ? "-" : (latency.totalNanos() / n / 1000) + "us(max " + latency.maxNanos() / 1000 + ")";
    }

    // ---- fed by the node ----

    /** A message the transport delivered (any thread). */
    void received(RaftMessage message) {
        if (message == null) {
            return;
        }
        LongAdder n = received.get(message.getClass());
        if (n != null) {
            n.increment();
        }
        if (message instanceof CommandResponse response && response.status() != null) {
            forwardAnswers[response.status().ordinal()].increment();
        }
    }

    /** A message handed to the transport (event-loop thread). */
    void sent(RaftMessage message) {
        LongAdder n = sent.get(message.getClass());
        if (n != null) {
            n.increment();
        }
    }

    /** The status published at the end of an event-loop iteration (event-loop thread only). */
    void observe(RaftStatus now) {
        Role role = now.role();
        if (role != seenRole) {
            roleChanges.increment();
        }
        boolean newTerm = now.term() > seenTerm;
        if (role == Role.PRE_CANDIDATE && seenRole != Role.PRE_CANDIDATE) {
            preVotesStarted.increment();
        } else if (role == Role.CANDIDATE && (seenRole != Role.CANDIDATE || newTerm)) {
            electionsStarted.increment();
        } else if (role == Role.LEADER && seenRole != Role.LEADER) {
            if (seenRole != Role.CANDIDATE || newTerm) { // campaigned and won within one iteration
                electionsStarted.increment();
            }
            electionsWon.increment();
        }
        String leader = now.leaderId();
        if (leader != null && !leader.equals(seenLeader)) {
            leaderChanges.increment();
            seenLeader = leader;
        }
        seenRole = role;
        seenTerm = Math.max(seenTerm, now.term());
    }

    private static Map<Class<?>, LongAdder> counterPerType() {
        Map<Class<?>, LongAdder> counters = new IdentityHashMap<>();
        for (Class<? extends RaftMessage> type : MESSAGE_TYPES) {
            counters.put(type, new LongAdder());
        }
        return Collections.unmodifiableMap(counters);
    }

    private static Map<String, Long> summary(Map<Class<?>, LongAdder> counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Class<? extends RaftMessage> type : MESSAGE_TYPES) {
            long n = counters.get(type).sum();
            if (n > 0) {
                out.put(type.getSimpleName(), n);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        Arrays.setAll(adders, i -> new LongAdder());
        return adders;
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends RaftMessage>> messageTypes() {
        Class<?>[] permitted = Objects.requireNonNull(RaftMessage.class.getPermittedSubclasses());
        return Arrays.stream(permitted).<Class<? extends RaftMessage>>map(c -> (Class<? extends RaftMessage>) c)
                .toList();
    }
}
