package io.raftbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class KafkaClientSettingsTest {

    private static KafkaTransportConfig.Builder minimal() {
        return KafkaTransportConfig.builder().bootstrapServers("k1:9092").clusterId("orders")
                .members(Set.of("n1", "n2", "n3"));
    }

    @Test
    void producerTakesTheConfigsSettingsButNotOverTheGuaranteesTheTransportRestsOn() {
        Map<String, Object> producer = KafkaClientSettings.producer(minimal()
                .property("producer.acks", "1")
                .property("producer.enable.idempotence", false)
                .property("producer.request.timeout.ms", 4321)
                .lingerMs(7)
                .build(), "n1");
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("all", producer.get("acks"));
        assertEquals(4321, producer.get("request.timeout.ms"));
        assertEquals(7, producer.get("linger.ms"));
        assertEquals(30_000, producer.get("delivery.timeout.ms"));
        assertEquals("raftbus-orders-n1-producer", producer.get("client.id"));
        assertEquals("k1:9092", producer.get("bootstrap.servers"));
    }

    @Test
    void withTheDirectSendTheTransportsProducerNeverBlocksAndTheLanesWaitAsConfigured() {
        KafkaTransportConfig direct = minimal().property("producer.max.block.ms", 2345).build();
        assertEquals(0, KafkaClientSettings.transportProducer(direct, "n1").get("max.block.ms"));
        assertEquals(2345, KafkaClientSettings.maxBlockMs(KafkaClientSettings.producer(direct, "n1")));
        assertEquals(10_000, KafkaClientSettings.maxBlockMs(KafkaClientSettings.producer(minimal().build(), "n1")));

        KafkaTransportConfig lane = minimal().property("producer.max.block.ms", 2345)
                .property(KafkaTransportConfig.DIRECT_SEND_CONFIG, false).build();
        assertEquals(2345, KafkaClientSettings.transportProducer(lane, "n1").get("max.block.ms"));
    }

    @Test
    void consumerIsAssignedWithoutAGroupWhateverTheConfigSays() {
        Map<String, Object> consumer = KafkaClientSettings.consumer(minimal()
                .property("consumer.group.id", "someone-elses")
                .property("consumer.enable.auto.commit", true)
                .property("consumer.fetch.max.wait.ms", 50)
                .build(), "n2");
        assertFalse(consumer.containsKey("group.id"));
        assertEquals(false, consumer.get("enable.auto.commit"));
        assertEquals("latest", consumer.get("auto.offset.reset"));
        assertEquals(50, consumer.get("fetch.max.wait.ms"));
        assertFalse(consumer.containsKey("linger.ms"));
        assertEquals("raftbus-orders-n2-consumer", consumer.get("client.id"));
    }
}
