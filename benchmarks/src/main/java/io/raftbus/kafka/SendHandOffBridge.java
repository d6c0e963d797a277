package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Benchmark-only access to the transport's package-private {@link RecordSender} and {@link OutboundLane} (this class
 * shares their package, in the benchmarks jar): one message handed to a producer that takes it at once, either
 * straight from the caller's thread ({@link RecordSender#trySend}) or through a lane whose thread hands it over
 * ({@link OutboundLane}, as before the direct send).
 */
public final class SendHandOffBridge implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-retry");
        t.setDaemon(true);
        return t;
    });
    private final RecordSender sender;
    private final OutboundLane lane;

    /** A sender of cluster {@code c}, node {@code n1}, and a started lane draining into it. */
    public SendHandOffBridge() {
        KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers("unused:9092").clusterId("c")
                .members(Set.of("n1", "n2")).build();
        DropCounters drops = new DropCounters("bench", System::nanoTime);
        sender = new RecordSender(new MessageCodec(), config.topicNames(), new TakesAtOnce(), scheduler, config, "n1",
                () -> 1 << 20, drops, new Latency(), 0);
        lane = new OutboundLane("bench-lane", 10_000, sender::send, drops);
        lane.start();
    }

    /** The direct send: encoded and handed to the producer on this thread. */
    public boolean direct(RaftMessage message) {
        return sender.trySend(message);
    }

    /** Through the lane: offered, then waited for (spinning) until the lane's thread handed it to the producer. */
    public void throughLane(RaftMessage message) {
        lane.offer(message);
        while (!lane.idle()) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void close() {
        lane.close();
        scheduler.shutdownNow();
    }

    /** A producer that acknowledges every record at once, on the caller's thread, and keeps nothing. */
    private static final class TakesAtOnce extends MockProducer<byte[], byte[]> {
        TakesAtOnce() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RecordMetadata metadata = new RecordMetadata(new TopicPartition(record.topic(), 0), 0, 0, 0,
                    0, record.value().length);
            callback.onCompletion(metadata, null);
            return CompletableFuture.completedFuture(metadata);
        }
    }
}
