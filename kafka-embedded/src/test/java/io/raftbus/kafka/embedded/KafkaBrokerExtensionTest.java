package io.raftbus.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionTest {

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void givesARealBrokerToTheTestClass() throws Exception {
        String topic = kafka.uniqueName("ext");
        EmbeddedKafkaBrokerTest.createTopic(kafka.bootstrapServers(), topic);
        EmbeddedKafkaBrokerTest.produce(kafka.bootstrapServers(), topic, "v");
        assertThat(EmbeddedKafkaBrokerTest.consumeAll(kafka.bootstrapServers(), topic, 1)).containsExactly("v");
    }

    @Test
    void restartKeepsTheAddressWhenEmbedded() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(kafka.isEmbedded(), "stop/restart needs the embedded broker");
        String address = kafka.bootstrapServers();
        String topic = kafka.uniqueName("restart");
        EmbeddedKafkaBrokerTest.createTopic(address, topic);
        kafka.stop();
        kafka.restart();
        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        assertThat(EmbeddedKafkaBrokerTest.listTopics(address)).contains(topic);
    }
}
