package io.raftbus.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftbus.engine.NodeMetrics;
import io.raftbus.engine.NodeMetrics.Outcome;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.session.SessionReply;
import io.raftbus.engine.session.SessionStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Binds a {@link RaftNode}'s {@link NodeMetrics} to a Micrometer {@link MeterRegistry}: gauges for role, term and
 * indexes, function counters for elections, leader changes, messages, drops and outcomes, timers for log writes;
 * for a node running client sessions also its session table ({@link RaftNode#sessionStats()}): gauges for open
 * sessions and held results, counters for expirations, evictions and session commands by reply.
 * Every meter is tagged {@code node} and {@code cluster} (plus the extra tags given). Bind it once per registry
 * (before or after {@link RaftNode#start()}); {@link #close()} removes the meters again. The README's "Metrics"
 * section lists the meters.
 *
 * <pre>{@code
 * RaftMetrics metrics = new RaftMetrics(node);
 * metrics.bindTo(registry);
 * }</pre>
 *
 * Counters count from the node's construction; the log timers from binding.
 */
public final class RaftMetrics implements MeterBinder, AutoCloseable {

    /**
     * Drop causes registered as their own {@code raftbus.messages.dropped} counter; any other cause a node reports
     * is counted under {@code cause=other}.
     */
    public static final List<String> DROP_CAUSES = List.of("foreign-cluster", "wrong-receiver", "malformed",
            "non-member", "from-self", "inbound-queue-full", "node-not-running");

    private final NodeMetrics metrics;
    private final RaftNode node;
    private final Tags tags;
    private final List<BoundMeters> bindings = new ArrayList<>();

    /** A binder for {@code node}, tagged {@code node=<id>, cluster=<cluster id>} and {@code extraTags}. */
    public RaftMetrics(RaftNode node, Iterable<Tag> extraTags) {
        this.metrics = node.metrics();
        this.node = node;
        this.tags = Tags.of("node", node.nodeId(), "cluster", node.clusterId()).and(extraTags);
    }

    /** A binder for {@code node}, tagged {@code node=<id>, cluster=<cluster id>}. */
    public RaftMetrics(RaftNode node) {
        this(node, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        BoundMeters m = new BoundMeters(registry);
        NodeMetrics n = metrics;

        for (Role role : Role.values()) {
            m.gauge("raftbus.role", "1 for the node's current role, 0 for the others", tags.and("role", role.name()),
                    n, x -> x.role() == role ? 1 : 0);
        }
        m.gauge("raftbus.term", "current term", tags, n, NodeMetrics::term);
        m.gauge("raftbus.commit.index", "highest index known committed", tags, n, NodeMetrics::commitIndex);
        m.gauge("raftbus.applied.index", "highest index applied to the state machine", tags, n,
                NodeMetrics::lastApplied);
        m.gauge("raftbus.apply.lag", "committed entries not yet applied", tags, n, NodeMetrics::applyLag);
        m.gauge("raftbus.log.last.index", "last index in the local log", tags, n, NodeMetrics::lastLogIndex);
        m.gauge("raftbus.snapshot.index", "index of the latest durable snapshot (0: none)", tags, n,
                NodeMetrics::snapshotIndex);

        m.counter("raftbus.elections.started", "campaigns this node started", tags, n,
                NodeMetrics::electionsStarted);
        m.counter("raftbus.elections.won", "times this node became leader", tags, n, NodeMetrics::electionsWon);
        m.counter("raftbus.prevotes.started", "PreVote rounds this node started", tags, n,
                NodeMetrics::preVotesStarted);
        m.counter("raftbus.leader.changes", "times this node learned of a different leader", tags, n,
                NodeMetrics::leaderChanges);
        m.counter("raftbus.role.changes", "times this node's role changed", tags, n, NodeMetrics::roleChanges);

        for (Class<? extends RaftMessage> type : NodeMetrics.MESSAGE_TYPES) {
            Tags typed = tags.and("type", type.getSimpleName());
            m.counter("raftbus.messages.received", "messages the transport delivered to the node", typed, n,
                    x -> x.messagesReceived(type));
            m.counter("raftbus.messages.sent", "messages the node handed to the transport", typed, n,
                    x -> x.messagesSent(type));
        }
        for (String cause : DROP_CAUSES) {
            m.counter("raftbus.messages.dropped", "inbound messages dropped, by cause", tags.and("cause", cause), n,
                    x -> x.dropCount(cause));
        }
        m.counter("raftbus.messages.dropped", "inbound messages dropped, by cause", tags.and("cause", "other"), n,
                RaftMetrics::otherDrops);
        for (CommandResponse.Status status : CommandResponse.Status.values()) {
            m.counter("raftbus.forward.answers", "leader's answers to commands and reads this node forwarded",
                    tags.and("status", lower(status)), n, x -> x.forwardAnswers(status));
        }
        for (Outcome outcome : Outcome.values()) {
            m.counter("raftbus.commands", "submitted commands by outcome", tags.and("outcome", lower(outcome)), n,
                    x -> x.commands(outcome));
            m.counter("raftbus.reads", "linearizable reads by outcome", tags.and("outcome", lower(outcome)), n,
                    x -> x.reads(outcome));
        }
        m.counter("raftbus.backpressure.rejections", "submits and reads rejected with BackpressureException", tags,
                n, x -> x.commands(Outcome.BACKPRESSURE) + x.reads(Outcome.BACKPRESSURE));

        m.timer("raftbus.log.append", "log appends, each made durable (fsync included)", tags, n.logAppend());
        m.timer("raftbus.log.hardstate", "term-and-vote saves, each made durable (fsync included)", tags,
                n.logHardState());
        if (node.sessionsEnabled()) {
            bindSessions(m);
        }
        synchronized (bindings) {
            bindings.add(m);
        }
    }

    private void bindSessions(BoundMeters m) {
        RaftNode nd = node;
        m.gauge("raftbus.sessions.open", "client sessions in the replicated session table", tags, nd,
                x -> sessions(x).openSessions());
        m.gauge("raftbus.sessions.held.results", "results held for clients that have not acknowledged them", tags, nd,
                x -> sessions(x).heldResults());
        m.counter("raftbus.sessions.expired", "sessions dropped after their idle timeout of log time", tags, nd,
                x -> sessions(x).expirations());
        m.counter("raftbus.sessions.evicted", "sessions dropped for a registration at the cap on sessions", tags, nd,
                x -> sessions(x).evictions());
        for (SessionReply.Status status : SessionReply.Status.values()) {
            m.counter("raftbus.sessions.replies", "session commands this node applied, by reply (registered,"
                    + " unknown_session, ...)", tags.and("reply", lower(status)), nd,
                    x -> sessions(x).replies(status));
        }
    }

    private static SessionStats sessions(RaftNode node) {
        return node.sessionStats().orElseThrow();
    }

    /** Removes this binder's meters from every registry it was bound to, and stops feeding its timers. */
    @Override
    public void close() {
        synchronized (bindings) {
            bindings.forEach(BoundMeters::removeAll);
            bindings.clear();
        }
    }

    private static double otherDrops(NodeMetrics n) {
        long other = 0;
        for (Map.Entry<String, Long> drop : n.dropCounts().entrySet()) {
            if (!DROP_CAUSES.contains(drop.getKey())) {
                other += drop.getValue();
            }
        }
        return other;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
