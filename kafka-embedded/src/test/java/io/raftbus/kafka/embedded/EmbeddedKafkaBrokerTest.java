package io.raftbus.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    /** How long a Kafka request or a consumer may take before the test gives up. */
    private static final Duration PATIENCE = TestDeadlines.seconds(30);

    @Test
    void producesAndConsumesAndKeepsTopicsAcrossRestart() throws Exception {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            dataDir = broker.dataDir();
            String address = broker.bootstrapServers();
            assertThat(address).startsWith("127.0.0.1:");

            createTopic(address, "greetings");
            produce(address, "greetings", "hello");
            assertThat(consumeAll(address, "greetings", 1)).containsExactly("hello");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.restart();

            assertThat(broker.bootstrapServers()).isEqualTo(address);
            assertThat(listTopics(address)).contains("greetings");
            produce(address, "greetings", "again");
            assertThat(consumeAll(address, "greetings", 2)).containsExactly("hello", "again");
        }
        assertThat(Files.exists(dataDir)).as("close() deletes the temporary data it created").isFalse();
    }

    @Test
    void keepsACallerProvidedDataDirectory(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path dir = tmp.resolve("kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir)) {
            assertThat(broker.dataDir()).isEqualTo(dir);
        }
        assertThat(Files.isDirectory(dir)).isTrue();
    }

    @Test
    void extensionRefusesUseOutsideATestClassLifecycle() {
        KafkaBrokerExtension unused = new KafkaBrokerExtension();
        org.assertj.core.api.Assertions.assertThatThrownBy(unused::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@RegisterExtension");
        assertThat(unused.uniqueName("inbox")).matches("inbox-\\d+-[0-9a-f]{8}");
    }

    static void createTopic(String address, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static Set<String> listTopics(String address) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address))) {
            return admin.listTopics().names().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static void produce(String address, String topic, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, value)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    static List<String> consumeAll(String address, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
