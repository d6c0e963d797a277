package io.raftbus.kafka;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * A {@link RaftNodeCluster} (real nodes, in-memory logs) whose nodes talk over {@link KafkaTransport}s, with the
 * transports and their configuration at hand for this module's tests. Each node's transport may be built its own way
 * (another codec, another envelope write version), again on each {@link #restart}.
 */
final class KafkaRaftCluster implements AutoCloseable {

    /** Timeouts with room for Kafka's hops and a loaded 2-core machine. */
    static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(800, 1600)
            .heartbeatIntervalMs(80)
            .tickIntervalMs(10)
            .build();

    final String clusterId;
    /** Each node's current transport (a restart replaces it). */
    final Map<String, KafkaTransport> transports = new LinkedHashMap<>();
    final KafkaTransportConfig transportConfig;
    private final RaftNodeCluster<RecordingStateMachine> nodes;

    KafkaRaftCluster(String bootstrapServers, String clusterId, int size) {
        this(bootstrapServers, clusterId, size, (id, config) -> new KafkaTransport(config));
    }

    /**
     * A cluster whose node {@code id} gets the transport {@code transportOf(id, config)} builds from the cluster's
     * transport configuration, at the start and on every restart.
     */
    KafkaRaftCluster(String bootstrapServers, String clusterId, int size,
                     BiFunction<String, KafkaTransportConfig, KafkaTransport> transportOf) {
        this.clusterId = clusterId;
        Set<String> members = new TreeSet<>();
        for (int i = 1; i <= size; i++) {
            members.add("n" + i);
        }
        transportConfig = KafkaTransportConfig.builder().bootstrapServers(bootstrapServers).clusterId(clusterId)
                .members(members).replicationFactor((short) 1).build();
        nodes = RaftNodeCluster.builder(size, RecordingStateMachine::new)
                .clusterId(clusterId)
                .config(CONFIG)
                .transports(id -> {
                    KafkaTransport transport = transportOf.apply(id, transportConfig);
                    transports.put(id, transport);
                    return transport;
                })
                .build();
    }

    KafkaRaftCluster startAll() {
        nodes.start();
        return this;
    }

    /** Closes node {@code id} and starts a new one over the same log with a newly built transport. */
    RaftNode restart(String id) {
        return nodes.restart(id);
    }

    /** Waits until one node leads and all others follow it in the same term. */
    RaftNode awaitLeader(Duration timeout) {
        return nodes.awaitLeader(timeout);
    }

    /** The nodes started with the cluster, by id. */
    Map<String, RaftNode> nodes() {
        return nodes.nodes();
    }

    /** Each node's state machine, by node id. */
    Map<String, RecordingStateMachine> machines() {
        Map<String, RecordingStateMachine> machines = new LinkedHashMap<>();
        nodes.nodes().keySet().forEach(id -> machines.put(id, nodes.stateMachine(id)));
        return machines;
    }

    @Override
    public void close() {
        nodes.close();
    }
}
