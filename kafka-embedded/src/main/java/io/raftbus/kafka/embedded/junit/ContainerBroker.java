package io.raftbus.kafka.embedded.junit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link KafkaBroker} backed by Testcontainers' Kafka module ({@code apache/kafka} image). Loaded only when the
 * Testcontainers classes are on the class path.
 */
final class ContainerBroker implements KafkaBroker {

    /** Image used unless the system property {@value #IMAGE_PROPERTY} names another. */
    static final String DEFAULT_IMAGE = "apache/kafka:4.4.0";
    static final String IMAGE_PROPERTY = "raftbus.kafka.image";
    static final String IMAGE = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);

    private final KafkaContainer container;

    ContainerBroker() {
        container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "testcontainers (" + IMAGE + ")";
    }

    @Override
    public void stop() {
        throw unsupported("stop");
    }

    @Override
    public void restart() {
        throw unsupported("restart");
    }

    private static UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException("Cannot " + operation + " a Testcontainers Kafka broker: its mapped "
                + "port changes on restart. Run with -D" + KafkaBrokerExtension.MODE_PROPERTY + "=embedded for tests "
                + "that " + operation + " the broker, or skip them when KafkaBrokerExtension.isEmbedded() is false");
    }

    @Override
    public void close() {
        container.stop();
    }
}
