package io.raftbus.kafka;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.testkit.Await;
import io.raftbus.engine.testkit.RecordingStateMachine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A cluster of real {@link RaftNode}s with in-memory logs talking over {@link KafkaTransport}s. */
final class KafkaRaftCluster implements AutoCloseable {

    /** Timeouts with room for Kafka's hops and a loaded 2-core machine. */
    static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(800, 1600)
            .heartbeatIntervalMs(80)
            .tickIntervalMs(10)
            .build();

    final String clusterId;
    final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    final Map<String, KafkaTransport> transports = new LinkedHashMap<>();
    final Map<String, RecordingStateMachine> machines = new LinkedHashMap<>();
    final KafkaTransportConfig transportConfig;

    KafkaRaftCluster(String bootstrapServers, String clusterId, int size) {
        this.clusterId = clusterId;
        Set<String> members = new TreeSet<>();
        for (int i = 1; i <= size; i++) {
            members.add("n" + i);
        }
        transportConfig = KafkaTransportConfig.builder().bootstrapServers(bootstrapServers).clusterId(clusterId)
                .members(members).replicationFactor((short) 1).build();
        long seed = 1;
        for (String id : members) {
            KafkaTransport transport = new KafkaTransport(transportConfig);
            RecordingStateMachine machine = new RecordingStateMachine();
            transports.put(id, transport);
            machines.put(id, machine);
            nodes.put(id, RaftNode.builder().nodeId(id).members(members).clusterId(clusterId).config(CONFIG)
                    .transport(transport).log(new InMemoryLog()).stateMachine(machine).randomSeed(seed++).build());
        }
    }

    KafkaRaftCluster startAll() {
        nodes.values().forEach(RaftNode::start);
        return this;
    }

    /** Waits until one node leads and all others follow it in the same term. */
    RaftNode awaitLeader(Duration timeout) {
        return nodes.get(Await.value("a leader agreed on by all of " + nodes.keySet(), this::agreedLeader, timeout));
    }

    private String agreedLeader() {
        RaftStatus leader = null;
        for (RaftNode node : nodes.values()) {
            RaftStatus s = node.status();
            if (s.isLeader()) {
                if (leader != null) {
                    return null;
                }
                leader = s;
            }
        }
        if (leader == null) {
            return null;
        }
        for (RaftNode node : nodes.values()) {
            RaftStatus s = node.status();
            if (s.term() != leader.term() || !leader.nodeId().equals(s.leaderId())) {
                return null;
            }
        }
        return leader.nodeId();
    }

    @Override
    public void close() {
        nodes.values().forEach(RaftNode::close);
    }
}
