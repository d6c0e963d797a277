package io.raftbus.examples.kv;

import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;

import java.time.Duration;
import java.util.Set;

/** Builds the Kafka transports of the demo's nodes and clients; the one place that knows how. */
final class KafkaTransports {

    private KafkaTransports() {
    }

    /** A transport for a member of {@code members}, with the transport's defaults (it retries start-up for a while). */
    static KafkaTransport forNode(String bootstrapServers, String clusterId, Set<String> members) {
        return new KafkaTransport(base(bootstrapServers, clusterId, members).build());
    }

    /**
     * A transport for an external client (started with an id that is not a member): one start-up attempt bounded by
     * {@code timeout}, so a wrong address fails as fast as the user asked; its inbox (a fresh id per run) is deleted
     * on close.
     */
    static KafkaTransport forClient(String bootstrapServers, String clusterId, Set<String> members, Duration timeout) {
        return new KafkaTransport(base(bootstrapServers, clusterId, members)
                .property(KafkaTransportConfig.STARTUP_RETRY_MAX_ATTEMPTS_CONFIG, 1)
                .property(KafkaTransportConfig.STARTUP_ATTEMPT_TIMEOUT_MS_CONFIG, timeout.toMillis())
                .deleteClientInboxOnClose(true)
                .build());
    }

    private static KafkaTransportConfig.Builder base(String bootstrapServers, String clusterId, Set<String> members) {
        return KafkaTransportConfig.builder()
                .bootstrapServers(bootstrapServers)
                .clusterId(clusterId)
                .members(members);
    }
}
