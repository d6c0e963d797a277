package io.raftbus.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftbus.kafka.DropCause;
import io.raftbus.kafka.KafkaTransport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Binds a {@link KafkaTransport}'s latencies and counts to a Micrometer {@link MeterRegistry}: timers
 * {@code raftbus.kafka.send} and {@code raftbus.kafka.receive}, counters {@code raftbus.kafka.sent},
 * {@code raftbus.kafka.delivered} and {@code raftbus.kafka.dropped} (tag {@code cause}, one per {@link DropCause}).
 * Every meter is tagged {@code node} and {@code cluster} (plus the extra tags given). Needs {@code transport-kafka}
 * on the class path. {@link #close()} removes the meters again.
 */
public final class KafkaTransportMetrics implements MeterBinder, AutoCloseable {

    private final KafkaTransport transport;
    private final Tags tags;
    private final List<BoundMeters> bindings = new ArrayList<>();

    /**
     * A binder for {@code transport}, the transport of node (or client) {@code nodeId}, tagged {@code node=<nodeId>,
     * cluster=<its cluster id>} and {@code extraTags}.
     */
    public KafkaTransportMetrics(KafkaTransport transport, String nodeId, Iterable<Tag> extraTags) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tags = Tags.of("node", nodeId, "cluster", transport.config().clusterId()).and(extraTags);
    }

    /** A binder for {@code transport}, the transport of {@code nodeId}. */
    public KafkaTransportMetrics(KafkaTransport transport, String nodeId) {
        this(transport, nodeId, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        BoundMeters m = new BoundMeters(registry);
        m.timer("raftbus.kafka.send", "from encoding a message to Kafka's acknowledgement (retries included)", tags,
                transport.sendLatency());
        m.timer("raftbus.kafka.receive", "from a record's timestamp (sender's clock) to delivery to the node", tags,
                transport.receiveLatency());
        m.counter("raftbus.kafka.sent", "messages Kafka acknowledged", tags, transport,
                KafkaTransport::sentCount);
        m.counter("raftbus.kafka.delivered", "messages delivered to the node", tags, transport,
                KafkaTransport::deliveredCount);
        for (DropCause cause : DropCause.values()) {
            m.counter("raftbus.kafka.dropped", "messages the transport dropped, by cause",
                    tags.and("cause", cause.key()), transport, t -> t.dropCount(cause));
        }
        synchronized (bindings) {
            bindings.add(m);
        }
    }

    /** Removes this binder's meters from every registry it was bound to, and stops feeding its timers. */
    @Override
    public void close() {
        synchronized (bindings) {
            bindings.forEach(BoundMeters::removeAll);
            bindings.clear();
        }
    }
}
