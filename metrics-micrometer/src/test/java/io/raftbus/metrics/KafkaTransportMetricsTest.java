package io.raftbus.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KafkaTransportMetrics} over a transport that is never started: no broker needed. */
class KafkaTransportMetricsTest {

    @Test
    void bindsLatenciesAndCountsTaggedWithNodeAndCluster() {
        KafkaTransport transport = new KafkaTransport(KafkaTransportConfig.builder().bootstrapServers("unused:9092")
                .clusterId("c1").members(Set.of("n1", "n2")).build());
        MeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaTransportMetrics metrics = new KafkaTransportMetrics(transport, "n1")) {
            metrics.bindTo(registry);

            transport.sendLatency().record(TimeUnit.MILLISECONDS.toNanos(3));
            transport.receiveLatency().record(TimeUnit.MILLISECONDS.toNanos(5));
            transport.send(new VoteRequest("c1", "n1", "n2", 1, 0, 0)); // not running: dropped and counted

            assertEquals(1, registry.get("raftbus.kafka.send").tag("node", "n1").tag("cluster", "c1").timer().count());
            assertEquals(5.0, registry.get("raftbus.kafka.receive").timer().totalTime(TimeUnit.MILLISECONDS));
            assertEquals(1.0, registry.get("raftbus.kafka.dropped").tag("cause", "not-running").functionCounter()
                    .count());
            assertEquals(0.0, registry.get("raftbus.kafka.sent").functionCounter().count());
            assertEquals(0.0, registry.get("raftbus.kafka.delivered").functionCounter().count());
        }
        assertTrue(registry.getMeters().isEmpty());
        transport.close();
    }
}
