package io.raftbus.kafka.embedded.junit;

/** A running Kafka broker handed out by {@link KafkaBrokerExtension}: embedded or in a container. */
interface KafkaBroker extends AutoCloseable {

    /** The {@code host:port} list for clients' {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Human-readable kind, for logs ("embedded", "testcontainers"). */
    String kind();

    /** Shuts the broker down keeping its data and address. */
    void stop();

    /** Starts a stopped broker again at the same address with the same data. */
    void restart();

    @Override
    void close();
}
