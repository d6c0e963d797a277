package io.raftbus.it.support;

import java.nio.file.Path;
import java.util.Set;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Transport;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.sqlite.SqliteLog;

/** The production pairing: {@link KafkaTransport} inboxes on a real broker and {@link SqliteLog} files. */
public final class KafkaSqliteBackend implements ClusterBackend {

    private final String bootstrapServers;

    public KafkaSqliteBackend(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The transport config every test node uses (also used by the child-process node). */
    public static KafkaTransportConfig transportConfig(String bootstrapServers, String clusterId,
            Set<String> members) {
        return KafkaTransportConfig.builder()
                .bootstrapServers(bootstrapServers)
                .clusterId(clusterId)
                .members(members)
                .build();
    }

    @Override
    public Transport transport(String clusterId, Set<String> members, String nodeId) {
        return new KafkaTransport(transportConfig(bootstrapServers, clusterId, members));
    }

    @Override
    public LogAPI openLog(Path file, String clusterId, String nodeId) {
        return SqliteLog.open(file, clusterId, nodeId);
    }
}
