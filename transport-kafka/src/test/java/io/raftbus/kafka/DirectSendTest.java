package io.raftbus.kafka;

import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.testing.Await;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The direct send ({@link KafkaTransportConfig#DIRECT_SEND_CONFIG}): the caller's thread, a node's event loop, never
 * waits for Kafka, even where the producer would wait an hour ({@code max.block.ms}), and messages keep their order.
 */
class DirectSendTest {

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final long AN_HOUR_MS = 3_600_000;

    private final List<KafkaTransport> opened = new ArrayList<>();

    @AfterEach
    void closeTransports() {
        opened.forEach(KafkaTransport::close);
    }

    private KafkaTransport start(KafkaTransportConfig config, String localId, ConcurrentLinkedQueue<RaftMessage> into) {
        KafkaTransport transport = new KafkaTransport(config);
        opened.add(transport);
        transport.start(localId, into::add);
        return transport;
    }

    @Test
    void theCallersThreadNeverWaitsForAnInboxKafkaDoesNotKnow() {
        String cluster = kafka.uniqueName("direct");
        // a producer that blocks would wait an hour for the metadata of an inbox that does not exist
        KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers(kafka.bootstrapServers())
                .clusterId(cluster).members(Set.of("n1", "n2")).replicationFactor((short) 1)
                .property("producer.max.block.ms", AN_HOUR_MS).build();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        start(config, "n2", atN2);

        AtomicInteger returned = new AtomicInteger();
        Thread loop = new Thread(() -> {
            for (int i = 0; i < 3; i++) { // the first goes straight to the producer, which cannot take it
                n1.send(new CommandResponse(cluster, "n1", "ghost-client", 1, i, CommandResponse.Status.APPLIED, 1, 1,
                        null, new byte[0], null));
                returned.incrementAndGet();
            }
            for (int term = 1; term <= 20; term++) {
                n1.send(new VoteRequest(cluster, "n1", "n2", term, 0, 0));
                returned.incrementAndGet();
            }
        }, "event-loop-stand-in");
        loop.setDaemon(true);
        loop.start();
        Await.until("every send returned on the caller's thread", () -> returned.get() == 23);
        Await.until("the member messages arrive", () -> atN2.size() == 20);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(),
                atN2.stream().map(RaftMessage::term).toList(), "in the order sent");
        assertEquals(0, n1.dropCount(DropCause.SEND_FAILED), "the client messages wait on their lane, not failed");
        assertEquals(0, n1.dropCount(DropCause.QUEUE_FULL));
    }

    @Test
    void withoutTheDirectSendEveryMessageStillArrivesInOrder() {
        String cluster = kafka.uniqueName("lane");
        KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers(kafka.bootstrapServers())
                .clusterId(cluster).members(Set.of("n1", "n2")).replicationFactor((short) 1)
                .property(KafkaTransportConfig.DIRECT_SEND_CONFIG, false).build();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        start(config, "n2", atN2);
        for (int term = 1; term <= 20; term++) {
            n1.send(new VoteRequest(cluster, "n1", "n2", term, 0, 0));
        }
        Await.until("the messages arrive", () -> atN2.size() == 20);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(),
                atN2.stream().map(RaftMessage::term).toList());
    }
}
