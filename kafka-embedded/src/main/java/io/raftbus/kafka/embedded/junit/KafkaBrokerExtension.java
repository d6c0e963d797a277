package io.raftbus.kafka.embedded.junit;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving a test class one real Kafka broker: Testcontainers' Kafka module when a Docker engine is
 * available, otherwise an in-JVM {@link io.raftbus.kafka.embedded.EmbeddedKafkaBroker}. It logs which one it chose.
 *
 * <pre>{@code
 * @RegisterExtension static KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 * ... kafka.bootstrapServers() ... kafka.uniqueName("inbox") ...
 * }</pre>
 *
 * <p>The choice can be forced with the system property {@value #MODE_PROPERTY} = {@code embedded} |
 * {@code testcontainers} (default {@code auto}). {@link #stop()} and {@link #restart()} work only on the embedded
 * broker, whose address survives a restart.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    /** System property choosing the broker: {@code auto} (default), {@code embedded} or {@code testcontainers}. */
    public static final String MODE_PROPERTY = "raftbus.kafka.broker";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final AtomicLong NAME_SEQUENCE = new AtomicLong();
    private static final String TESTCONTAINERS_PROBE = "org.testcontainers.DockerClientFactory";

    private volatile KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (broker != null) {
            return;
        }
        String owner = context.getDisplayName();
        broker = choose();
        LOG.info("Kafka broker for {}: {} at {}", owner, broker.kind(), broker.bootstrapServers());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KafkaBroker running = broker;
        broker = null;
        if (running != null) {
            running.close();
        }
    }

    /** The running broker's {@code bootstrap.servers} address. */
    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /**
     * A name unique within this JVM and across runs sharing a broker, for topics, cluster ids and groups: {@code
     * prefix-<sequence>-<random>}, using only characters legal in Kafka topic names.
     */
    public String uniqueName(String prefix) {
        String random = UUID.randomUUID().toString().substring(0, 8);
        return prefix + "-" + NAME_SEQUENCE.incrementAndGet() + "-" + random;
    }

    /** Whether the broker runs inside this JVM (and so supports {@link #stop()} and {@link #restart()}). */
    public boolean isEmbedded() {
        return running() instanceof EmbeddedBroker;
    }

    /** Shuts the broker down, keeping its data and address. Embedded broker only. */
    public void stop() {
        running().stop();
    }

    /** Starts a stopped broker again at the same address with the same data. Embedded broker only. */
    public void restart() {
        running().restart();
    }

    private KafkaBroker running() {
        KafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException("No Kafka broker is running: register KafkaBrokerExtension with "
                    + "@RegisterExtension on a static field, and use it only while the test class runs");
        }
        return current;
    }

    private static KafkaBroker choose() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "embedded":
                return new EmbeddedBroker();
            case "testcontainers":
                if (!testcontainersOnClassPath()) {
                    throw new IllegalStateException(MODE_PROPERTY + "=testcontainers but Testcontainers is not on the "
                            + "test class path: add org.testcontainers:testcontainers-kafka as a test dependency");
                }
                return new ContainerBroker();
            case "auto":
                if (testcontainersOnClassPath() && ContainerBroker.dockerAvailable()) {
                    return new ContainerBroker();
                }
                LOG.info("No Docker engine (or no Testcontainers on the class path): using the embedded Kafka broker");
                return new EmbeddedBroker();
            default:
                throw new IllegalArgumentException("Unknown " + MODE_PROPERTY + "=" + mode
                        + "; use auto, embedded or testcontainers");
        }
    }

    private static boolean testcontainersOnClassPath() {
        try {
            Class.forName(TESTCONTAINERS_PROBE, false, KafkaBrokerExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
