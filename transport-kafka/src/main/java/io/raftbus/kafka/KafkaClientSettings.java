package io.raftbus.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The complete properties a {@link KafkaTransport} gives its producer and its consumer: the transport's defaults,
 * then the {@link KafkaTransportConfig}'s properties, then what the transport's guarantees rest on and cannot be
 * overridden. Public so that a benchmark can measure the broker's own latency with exactly the transport's
 * settings.
 */
public final class KafkaClientSettings {

    private KafkaClientSettings() {
    }

    /**
     * The producer's properties for node (or client) {@code localNodeId}, with {@code max.block.ms} as configured (the
     * transport itself then sets it to 0 for the direct send, see {@link #transportProducer}; it changes nothing once
     * a topic's metadata is known).
     */
    public static Map<String, Object> producer(KafkaTransportConfig config, String localNodeId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(config, localNodeId, "producer"));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putAll(config.producerProperties());
        // not overridable: what the transport's guarantees rest on
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * The producer's properties as the transport runs it: {@link #producer}, but with {@code max.block.ms=0} when
     * the caller's thread hands messages to the producer itself ({@link KafkaTransportConfig#directSend()}), so that
     * the producer's {@code send} never waits for metadata or buffer memory on a node's event loop; the lanes then
     * wait as long as {@link #maxBlockMs} says instead.
     */
    static Map<String, Object> transportProducer(KafkaTransportConfig config, String localNodeId) {
        Map<String, Object> props = producer(config, localNodeId);
        if (config.directSend()) {
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        }
        return props;
    }

    /** The {@code max.block.ms} of producer properties (Kafka's 60 s if unset). */
    static long maxBlockMs(Map<String, Object> producerProperties) {
        Object value = producerProperties.get(ProducerConfig.MAX_BLOCK_MS_CONFIG);
        return value == null ? 60_000 : Long.parseLong(value.toString().strip());
    }

    /** The consumer's properties for node (or client) {@code localNodeId}: assigned partition, no group. */
    public static Map<String, Object> consumer(KafkaTransportConfig config, String localNodeId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(config, localNodeId, "consumer"));
        props.putAll(config.consumerProperties());
        // assigned partition, no group: no rebalances, nothing committed; a lost position restarts at the end
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** The admin client's properties for node (or client) {@code localNodeId}. */
    static Map<String, Object> admin(KafkaTransportConfig config, String localNodeId) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId(config, localNodeId, "admin"));
        props.putAll(config.adminProperties());
        return props;
    }

    private static String clientId(KafkaTransportConfig config, String localNodeId, String role) {
        return "raftbus-" + config.clusterId() + "-" + localNodeId + "-" + role;
    }
}
