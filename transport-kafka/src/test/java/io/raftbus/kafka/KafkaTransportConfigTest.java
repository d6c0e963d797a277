package io.raftbus.kafka;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaTransportConfigTest {

    private static KafkaTransportConfig.Builder minimal() {
        return KafkaTransportConfig.builder().bootstrapServers("k1:9092,k2:9092").clusterId("orders")
                .members(Set.of("n1", "n2", "n3"));
    }

    @Test
    void defaultsAreDocumentedConstants() {
        KafkaTransportConfig config = minimal().build();
        assertEquals("k1:9092,k2:9092", config.bootstrapServers());
        assertEquals(Set.of("n1", "n2", "n3"), config.members());
        assertEquals("raftbus.orders.n2", config.topicNames().inboxOf("n2"));
        assertEquals(KafkaTransportConfig.TOPIC_CREATE_DEFAULT, config.createTopics());
        assertEquals(KafkaTransportConfig.TOPIC_REPLICATION_FACTOR_DEFAULT, config.replicationFactor());
        assertEquals(KafkaTransportConfig.OUTBOUND_QUEUE_CAPACITY_DEFAULT, config.outboundQueueCapacity());
        assertEquals(KafkaTransportConfig.LINGER_MS_DEFAULT, config.producerProperties().get("linger.ms"));
        assertEquals("none", config.producerProperties().get("compression.type"));
        for (String key : KafkaTransportConfig.configDef().names()) {
            assertFalse(KafkaTransportConfig.configDef().configKeys().get(key).documentation.isBlank(),
                    key + " is documented");
        }
    }

    @Test
    void envelopeWriteVersionIsFiveByDefaultAndFourForARollingUpgrade() {
        assertEquals(5, minimal().build().envelopeWriteVersion());
        assertEquals(4, minimal().envelopeWriteVersion(4).build().envelopeWriteVersion());
        assertEquals(4, KafkaTransportConfig.fromMap(Map.of("bootstrap.servers", "k1:9092", "raftbus.cluster.id",
                "orders", "raftbus.members", "n1,n2,n3", "raftbus.envelope.write.version", "4"))
                .envelopeWriteVersion());
        for (int unsupported : new int[] {3, 6}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> minimal().envelopeWriteVersion(unsupported).build());
            assertTrue(e.getMessage().contains(KafkaTransportConfig.ENVELOPE_WRITE_VERSION_CONFIG), e.getMessage());
        }
    }

    @Test
    void topicPrefixAndTemplateAreConfigurable() {
        KafkaTransportConfig prefixed = minimal().topicPrefix("acme.raft").build();
        assertEquals("acme.raft.orders.n1", prefixed.topicNames().inboxOf("n1"));
        KafkaTransportConfig templated = minimal().topicNameTemplate("inbox-{cluster}-{node}").build();
        assertEquals("inbox-orders-client-7", templated.topicNames().inboxOf("client-7"));
        assertThrows(ConfigException.class, () -> minimal().topicNameTemplate("{prefix}.{cluster}").build());
    }

    @Test
    void illegalNamesAreRefusedWhenBuilding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> minimal().members(Set.of("n1", "node two")).build());
        assertTrue(e.getMessage().contains("node two"), e.getMessage());
        assertThrows(ConfigException.class, () -> minimal().members(List.of()).build());
        assertThrows(ConfigException.class, () -> KafkaTransportConfig.builder().clusterId("c")
                .members(Set.of("a")).build(), "bootstrap servers are required");
        assertThrows(ConfigException.class, () -> minimal().compressionType("brotli").build());
    }

    @Test
    void kafkaPropertiesPassThroughWithPerClientOverrides() {
        KafkaTransportConfig config = minimal()
                .property("security.protocol", "SASL_SSL")
                .property("sasl.mechanism", "SCRAM-SHA-512")
                .property("producer.batch.size", 4096)
                .property("consumer.fetch.max.wait.ms", 50)
                .property("admin.request.timeout.ms", 1234)
                .lingerMs(3)
                .compressionType("lz4")
                .build();
        Map<String, Object> producer = config.producerProperties();
        Map<String, Object> consumer = config.consumerProperties();
        Map<String, Object> admin = config.adminProperties();
        for (Map<String, Object> props : List.of(producer, consumer, admin)) {
            assertEquals("SASL_SSL", props.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
            assertEquals("k1:9092,k2:9092", props.get("bootstrap.servers"));
            assertTrue(props.keySet().stream().noneMatch(k -> k.startsWith("raftbus.")), props.toString());
        }
        assertEquals(4096, producer.get("batch.size"));
        assertEquals(3, producer.get("linger.ms"));
        assertEquals("lz4", producer.get("compression.type"));
        assertFalse(consumer.containsKey("batch.size"));
        assertFalse(consumer.containsKey("linger.ms"));
        assertEquals(50, consumer.get("fetch.max.wait.ms"));
        assertEquals(1234, admin.get("request.timeout.ms"));
    }

    @Test
    void fromMapReadsTheSameKeys() {
        KafkaTransportConfig config = KafkaTransportConfig.fromMap(Map.of(
                "bootstrap.servers", "localhost:9092",
                "raftbus.cluster.id", "c1",
                "raftbus.members", "a,b,c",
                "raftbus.topic.create", "false",
                "raftbus.topic.replication.factor", "3"));
        assertEquals(Set.of("a", "b", "c"), config.members());
        assertFalse(config.createTopics());
        assertEquals(3, config.replicationFactor());
    }
}
