package io.raftbus.benchmarks;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.Transport;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A started three-node cluster of one {@link ClusterShape}, built through the public API only, with a state machine
 * that does nothing and answers an empty result. {@link #close()} closes every node (and with it its transport and
 * log).
 */
public final class BenchCluster implements AutoCloseable {

    static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");

    private static final StateMachine DISCARD = DiscardStateMachine.INSTANCE;

    private final ClusterShape shape;
    private final List<RaftNode> nodes = new ArrayList<>();

    private BenchCluster(ClusterShape shape) {
        this.shape = shape;
    }

    /**
     * Builds and starts the cluster. {@code bootstrapServers} is used by Kafka shapes, {@code dataDir} (which must
     * exist) by SQLite shapes: one database file per node. {@code kafkaLingerMs}, when not null, overrides the
     * transport's producer {@code linger.ms}.
     */
    static BenchCluster start(ClusterShape shape, String bootstrapServers, Path dataDir, Integer kafkaLingerMs) {
        return start(shape, shape.clusterId(), bootstrapServers, dataDir, kafkaLingerMs == null ? Map.of()
                : Map.of(KafkaTransportConfig.LINGER_MS_CONFIG, kafkaLingerMs));
    }

    /**
     * Builds and starts a cluster of {@code shape} under its own {@code clusterId} (its Kafka inbox topics and SQLite
     * files are named after it); {@code kafkaProperties} are added to each node's {@link KafkaTransportConfig} (any key
     * it takes, e.g. {@code linger.ms} or {@code consumer.fetch.max.wait.ms}).
     */
    public static BenchCluster start(ClusterShape shape, String clusterId, String bootstrapServers, Path dataDir,
                                     Map<String, ?> kafkaProperties) {
        return start(shape, clusterId, bootstrapServers, dataDir, kafkaProperties, RaftConfig.defaults());
    }

    /** As {@link #start(ClusterShape, String, String, Path, Map)}, every node with {@code config}. */
    public static BenchCluster start(ClusterShape shape, String clusterId, String bootstrapServers, Path dataDir,
                                     Map<String, ?> kafkaProperties, RaftConfig config) {
        return start(shape, clusterId, bootstrapServers, dataDir, kafkaProperties, config, SqliteLogOptions.defaults());
    }

    /**
     * As {@link #start(ClusterShape, String, String, Path, Map, RaftConfig)}, the SQLite logs opened with
     * {@code sqlite}.
     */
    public static BenchCluster start(ClusterShape shape, String clusterId, String bootstrapServers, Path dataDir,
                                     Map<String, ?> kafkaProperties, RaftConfig config, SqliteLogOptions sqlite) {
        BenchCluster cluster = new BenchCluster(shape);
        InMemoryNetwork network = new InMemoryNetwork();
        try {
            for (String id : MEMBERS.stream().sorted().toList()) {
                Transport transport = shape.kafka()
                        ? kafkaTransport(bootstrapServers, clusterId, kafkaProperties)
                        : network.transport(id);
                LogAPI log = shape.sqlite()
                        ? SqliteLog.open(dataDir.resolve(clusterId + "-" + id + ".db"), clusterId, id, sqlite)
                        : new InMemoryLog();
                cluster.nodes.add(RaftNode.builder()
                        .nodeId(id)
                        .members(MEMBERS)
                        .clusterId(clusterId)
                        .config(config)
                        .transport(transport)
                        .log(log)
                        .stateMachine(DISCARD)
                        .build());
            }
            for (RaftNode node : cluster.nodes) {
                node.start();
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static Transport kafkaTransport(String bootstrapServers, String clusterId, Map<String, ?> properties) {
        KafkaTransportConfig.Builder config = KafkaTransportConfig.builder()
                .bootstrapServers(bootstrapServers)
                .clusterId(clusterId)
                .members(MEMBERS);
        properties.forEach(config::property);
        return new KafkaTransport(config.build());
    }

    public ClusterShape shape() {
        return shape;
    }

    /**
     * Polls the nodes' status until one is leader and every node names it as leader in the same term, or
     * {@code timeout} passes.
     */
    public RaftNode awaitLeader(Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RaftNode> leader = agreedLeader();
            if (leader.isPresent()) {
                return leader.get();
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        throw new TimeoutException("no leader agreed by all of " + MEMBERS + " within " + timeout + " for "
                + shape.label() + "; statuses: " + nodes.stream().map(RaftNode::status).toList());
    }

    private Optional<RaftNode> agreedLeader() {
        RaftNode leader = null;
        long term = -1;
        for (RaftNode node : nodes) {
            RaftStatus status = node.status();
            if (status.leaderId() == null || (term >= 0 && status.term() != term)) {
                return Optional.empty();
            }
            term = status.term();
            if (status.isLeader()) {
                leader = node;
            }
        }
        if (leader == null) {
            return Optional.empty();
        }
        String leaderId = leader.nodeId();
        return nodes.stream().allMatch(n -> leaderId.equals(n.status().leaderId())) ? Optional.of(leader)
                : Optional.empty();
    }

    @Override
    public void close() {
        for (RaftNode node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + node.nodeId() + " of " + shape.label() + ": " + e);
            }
        }
    }
}
