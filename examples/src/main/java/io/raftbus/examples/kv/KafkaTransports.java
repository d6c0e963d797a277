package io.raftbus.examples.kv;

import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.kafka.MessageCodec;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Builds the Kafka transports of the demo's nodes and clients; the one place that knows how. */
final class KafkaTransports {

    private KafkaTransports() {
    }

    /**
     * A transport for a member of {@code members}, with the transport's defaults (it retries start-up for a while).
     *
     * @param kafkaProperties Kafka client (and raftbus.*) settings, e.g. from {@code --command-config}; the explicit
     *                        arguments override them
     */
    static KafkaTransport forNode(String bootstrapServers, String clusterId, Set<String> members,
                                  Map<String, String> kafkaProperties) {
        return new KafkaTransport(base(bootstrapServers, clusterId, members, kafkaProperties).build());
    }

    /**
     * A transport for an external client (started with an id that is not a member): its whole start-up, retries
     * included, must end by {@code deadlineNanos} ({@link System#nanoTime()}), so a wrong address fails as fast as the
     * user asked; its inbox (a fresh id per run) is deleted on close. The codec is built first, since building it
     * takes a noticeable part of a short timeout on a loaded machine, and start-up gets what is left.
     */
    static KafkaTransport forClient(String bootstrapServers, String clusterId, Set<String> members,
                                    Map<String, String> kafkaProperties, long deadlineNanos) {
        MessageCodec codec = new MessageCodec();
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        return new KafkaTransport(base(bootstrapServers, clusterId, members, kafkaProperties)
                .startupTimeoutMs(leftMs)
                .startupAttemptTimeoutMs(leftMs)
                .deleteClientInboxOnClose(true)
                .build(), codec);
    }

    private static KafkaTransportConfig.Builder base(String bootstrapServers, String clusterId, Set<String> members,
                                                     Map<String, String> kafkaProperties) {
        KafkaTransportConfig.Builder builder = KafkaTransportConfig.builder();
        kafkaProperties.forEach(builder::property);
        return builder
                .bootstrapServers(bootstrapServers)
                .clusterId(clusterId)
                .members(members);
    }
}
