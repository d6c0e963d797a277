package io.raftbus.kafka;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka {@link Admin} whose {@link #close()} is bounded: {@code Admin.close()} without a timeout waits for every
 * pending call, which against a broker that accepts connections and never answers can outlast any start-up timeout.
 * Every call raftbus makes has its own timeout, so nothing worth waiting for is cut short.
 */
final class BoundedAdmin implements AutoCloseable {

    /** Longest {@link #close()} waits for calls still pending. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private final Admin admin;

    private BoundedAdmin(Admin admin) {
        this.admin = admin;
    }

    /** @throws KafkaTransportException if the client cannot be created, e.g. no bootstrap host resolves */
    static BoundedAdmin open(Map<String, Object> properties, KafkaTransportConfig config) {
        return new BoundedAdmin(KafkaClients.create("admin client", config, () -> Admin.create(properties)));
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }
}
