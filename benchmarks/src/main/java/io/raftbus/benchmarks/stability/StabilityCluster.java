package io.raftbus.benchmarks.stability;

import io.raftbus.benchmarks.DiscardStateMachine;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.sqlite.SqliteLog;

import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Three nodes in this JVM as the demo builds them — {@link KafkaTransport} on one broker, {@link SqliteLog} with its
 * default durability — each transport wrapped in a {@link TimingTransport}, each log in a {@link TimingLog}, every
 * node reporting to one {@link LeadershipRecorder}. Nodes close without handing leadership over, so {@link #kill} is
 * a crash as the other nodes see it; {@link #restart} reopens the node's log.
 */
final class StabilityCluster implements AutoCloseable {

    static final List<String> MEMBERS = List.of("n1", "n2", "n3");
    private static final String CLUSTER_ID = "stability";
    private static final StateMachine DISCARD = DiscardStateMachine.INSTANCE;

    private final StabilitySettings settings;
    private final String bootstrapServers;
    private final Path dataDir;
    private final LeadershipRecorder recorder;
    private final Map<String, Deque<Long>> inFlight = TimingTransport.newInFlightMap();
    private final Samples oneWayMillis = new Samples();
    private final Samples heartbeatGapMillis = new Samples();
    private final Samples logWriteMillis = new Samples();
    private final Map<String, RaftNode> running = new LinkedHashMap<>();

    StabilityCluster(StabilitySettings settings, String bootstrapServers, Path dataDir, LeadershipRecorder recorder) {
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.recorder = recorder;
    }

    /** Builds and starts every member. */
    synchronized void startAll() {
        for (String id : MEMBERS) {
            restart(id);
        }
    }

    /** Builds and starts member {@code id} on its existing (or a new) log file. */
    synchronized void restart(String id) {
        KafkaTransportConfig.Builder transport = KafkaTransportConfig.builder()
                .bootstrapServers(bootstrapServers).clusterId(CLUSTER_ID).members(Set.copyOf(MEMBERS));
        if (settings.lingerMs() != null) {
            transport.lingerMs(settings.lingerMs());
        }
        if (settings.fetchMaxWaitMs() != null) {
            transport.property("consumer.fetch.max.wait.ms", settings.fetchMaxWaitMs());
        }
        if (settings.pollTimeoutMs() != null) {
            transport.property(KafkaTransportConfig.POLL_TIMEOUT_MS_CONFIG, settings.pollTimeoutMs());
        }
        RaftNode node = RaftNode.builder()
                .nodeId(id)
                .members(Set.copyOf(MEMBERS))
                .clusterId(CLUSTER_ID)
                .config(settings.raftConfig().toBuilder().handOverOnClose(false).build())
                .transport(new TimingTransport(new KafkaTransport(transport.build()), inFlight, oneWayMillis,
                        heartbeatGapMillis))
                .log(new TimingLog(SqliteLog.open(dataDir.resolve(id + ".db"), CLUSTER_ID, id), logWriteMillis))
                .stateMachine(DISCARD)
                .build();
        node.addListener(recorder);
        node.start();
        running.put(id, node);
    }

    /** Closes member {@code id} without a hand-over. */
    void kill(String id) {
        RaftNode node;
        synchronized (this) {
            node = running.remove(id);
        }
        node.close();
    }

    /** The running node claiming leadership in the highest term. */
    synchronized Optional<RaftNode> leader() {
        RaftNode best = null;
        for (RaftNode node : running.values()) {
            RaftStatus status = node.status();
            if (status.isLeader() && (best == null || status.term() > best.status().term())) {
                best = node;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The leader, else any running node (which forwards to a leader it knows, or refuses). */
    synchronized RaftNode target() {
        return leader().orElseGet(() -> running.values().iterator().next());
    }

    /** Whether every member runs and all agree on one leader in one term with the same commit index. */
    synchronized boolean settled() {
        if (running.size() != MEMBERS.size()) {
            return false;
        }
        List<RaftStatus> statuses = running.values().stream().map(RaftNode::status).toList();
        RaftStatus first = statuses.get(0);
        return first.leaderId() != null && statuses.stream().allMatch(s -> first.leaderId().equals(s.leaderId())
                && s.term() == first.term() && s.commitIndex() == first.commitIndex());
    }

    /** The highest term any running node is in. */
    synchronized long maxTerm() {
        return running.values().stream().mapToLong(n -> n.status().term()).max().orElse(0);
    }

    Samples oneWayMillis() {
        return oneWayMillis;
    }

    Samples heartbeatGapMillis() {
        return heartbeatGapMillis;
    }

    /** Durations of every node's durable log writes, made on its event loop (see {@link TimingLog}). */
    Samples logWriteMillis() {
        return logWriteMillis;
    }

    @Override
    public synchronized void close() {
        for (RaftNode node : running.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + node.nodeId() + ": " + e);
            }
        }
        running.clear();
    }
}
