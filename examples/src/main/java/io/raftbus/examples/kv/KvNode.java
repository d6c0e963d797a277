package io.raftbus.examples.kv;

import io.raftbus.engine.testing.PausableTransport;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.sqlite.SqliteLog;

import java.nio.file.Path;
import java.util.Set;

/**
 * One running key-value node: a {@link RaftNode} with a SQLite log, a Kafka transport that can be paused, and an
 * in-memory {@link KvStateMachine} rebuilt from the log at every start.
 *
 * @param node the running node (owns the transport and the log, closes them)
 * @param transport the node's transport, for partition/heal
 * @param stateMachine the node's state
 */
record KvNode(RaftNode node, PausableTransport transport, KvStateMachine stateMachine) implements AutoCloseable {

    /** Opens {@code logFile}, connects to Kafka and starts the node. */
    static KvNode start(String nodeId, Set<String> members, String clusterId, String bootstrapServers, Path logFile,
                        RaftConfig config, boolean partitioned) {
        LogAPI log = SqliteLog.open(logFile, clusterId, nodeId);
        PausableTransport transport;
        try {
            transport = new PausableTransport(KafkaTransports.forNode(bootstrapServers, clusterId, members), partitioned);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        KvStateMachine stateMachine = new KvStateMachine();
        RaftNode node;
        try {
            node = RaftNode.builder()
                    .nodeId(nodeId)
                    .members(members)
                    .clusterId(clusterId)
                    .config(config)
                    .transport(transport)
                    .log(log)
                    .stateMachine(stateMachine)
                    .build();
        } catch (RuntimeException e) {
            transport.close();
            log.close();
            throw e;
        }
        try {
            node.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return new KvNode(node, transport, stateMachine);
    }

    /** Closes the node, its transport and its log. */
    @Override
    public void close() {
        node.close();
    }
}
