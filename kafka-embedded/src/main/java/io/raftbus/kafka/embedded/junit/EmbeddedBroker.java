package io.raftbus.kafka.embedded.junit;

import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

/** {@link KafkaBroker} backed by an in-JVM {@link EmbeddedKafkaBroker}. */
final class EmbeddedBroker implements KafkaBroker {

    private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void stop() {
        broker.stop();
    }

    @Override
    public void restart() {
        broker.restart();
    }

    @Override
    public void close() {
        broker.close();
    }
}
