package io.raftbus.examples.kv;

import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --command-config settings reach every Kafka client; the explicit options win over the file. */
class KafkaTransportsTest {

    private static final Map<String, String> FILE = Map.of("security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512", "bootstrap.servers", "from-file:9092",
            KafkaTransportConfig.STARTUP_TIMEOUT_MS_CONFIG, "999999");

    @Test
    void aNodeGetsTheFilesClientPropertiesButItsOwnBootstrap() {
        try (KafkaTransport transport = KafkaTransports.forNode("given:9092", "kv", Set.of("n1"), FILE)) {
            KafkaTransportConfig config = transport.config();
            assertEquals("given:9092", config.bootstrapServers());
            for (Map<String, Object> client : new Map[] {config.producerProperties(), config.consumerProperties(),
                    config.adminProperties()}) {
                assertEquals("SASL_SSL", client.get("security.protocol"));
                assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
            }
        }
    }

    @Test
    void aClientsStartupIsBoundedByItsTimeoutWhateverTheFileSays() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaTransport transport = KafkaTransports.forClient("given:9092", "kv", Set.of("n1"), FILE, deadline)) {
            long bound = transport.config().startupTimeoutMs();
            assertTrue(bound > 0 && bound <= 30_000, "start-up bound " + bound + " ms, the deadline was 30 s away");
            assertEquals("SASL_SSL", transport.config().adminProperties().get("security.protocol"));
        }
    }
}
