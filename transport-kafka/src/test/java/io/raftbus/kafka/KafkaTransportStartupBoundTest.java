package io.raftbus.kafka;

import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KafkaTransport#start} against brokers that cannot serve it returns within its stated bound (attempts x
 * attempt timeout plus backoff) and says why. Bounds are checked generously: the promise is "it returns", not a speed.
 */
class KafkaTransportStartupBoundTest {

    /** Far above any honest start-up on a loaded machine, far below the unbounded Admin.close() it guards against. */
    private static final Duration GENEROUS = TestDeadlines.seconds(30);

    @Test
    void aBrokerThatAcceptsButNeverAnswersFailsStartWithinTheAttemptTimeout() {
        try (SilentBroker broker = new SilentBroker()) {
            KafkaTransportConfig config = KafkaTransportConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).clusterId("silent").members(Set.of("n1"))
                    .startupRetry(1, 10, 10).startupAttemptTimeoutMs(1_000).build();
            KafkaTransport transport = new KafkaTransport(config);
            long began = System.nanoTime();
            KafkaTransportException e = assertThrows(KafkaTransportException.class,
                    () -> transport.start("client-1", m -> { }));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            transport.close();
            assertTrue(took.compareTo(GENEROUS) < 0, "start() took " + took + " against a 1 s attempt timeout");
            assertTrue(e.getMessage().contains("could not reach the brokers"), e.getMessage());
            assertTrue(e.getMessage().contains(broker.bootstrapServers()), e.getMessage());
            assertTrue(e.getMessage().contains("no answer from the brokers within 1000 ms"), e.getMessage());
            assertTrue(broker.connections() > 0, "the client never connected to the silent broker");
        }
    }

    @Test
    void theOverallStartupTimeoutBoundsEveryStepAndAttempt() {
        try (SilentBroker broker = new SilentBroker()) {
            // without the overall bound: 5 attempts of 2 s each, plus backoff
            KafkaTransportConfig config = KafkaTransportConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).clusterId("silent").members(Set.of("n1"))
                    .startupRetry(5, 10, 10).startupAttemptTimeoutMs(2_000).startupTimeoutMs(1_500).build();
            KafkaTransport transport = new KafkaTransport(config);
            long began = System.nanoTime();
            KafkaTransportException e = assertThrows(KafkaTransportException.class,
                    () -> transport.start("n1", m -> { }));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            transport.close();
            assertTrue(took.compareTo(GENEROUS) < 0, "start() took " + took + " against a 1.5 s start-up timeout");
            assertTrue(e.getMessage().contains("could not reach the brokers"), e.getMessage());
            assertTrue(e.getMessage().contains("1500 ms"), e.getMessage());
        }
    }

    @Test
    void maxMessageBytesBeforeStartIsBoundedToo() {
        try (SilentBroker broker = new SilentBroker()) {
            KafkaTransportConfig config = KafkaTransportConfig.builder()
                    .bootstrapServers(broker.bootstrapServers()).clusterId("silent").members(Set.of("n1"))
                    .startupRetry(8, 10, 10).startupAttemptTimeoutMs(5_000).startupTimeoutMs(1_000).build();
            try (KafkaTransport transport = new KafkaTransport(config)) {
                long began = System.nanoTime();
                KafkaTransportException e = assertThrows(KafkaTransportException.class, transport::maxMessageBytes);
                Duration took = Duration.ofNanos(System.nanoTime() - began);
                assertTrue(took.compareTo(GENEROUS) < 0, "maxMessageBytes() took " + took);
                assertTrue(e.getMessage().contains("could not reach the brokers"), e.getMessage());
            }
        }
    }

    @Test
    void anUnresolvableHostIsNamedAsSuch() {
        KafkaTransportConfig config = KafkaTransportConfig.builder()
                .bootstrapServers("no-such-host.invalid:9092").clusterId("nowhere").members(Set.of("n1"))
                .startupRetry(1, 10, 10).startupAttemptTimeoutMs(1_000).build();
        KafkaTransport transport = new KafkaTransport(config);
        KafkaTransportException e = assertThrows(KafkaTransportException.class,
                () -> transport.start("client-1", m -> { }));
        transport.close();
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be resolved"), e.getMessage());
    }
}
