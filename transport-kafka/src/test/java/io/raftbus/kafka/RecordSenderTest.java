package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.metrics.Latency;
import io.raftbus.engine.testing.Await;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Send-side behaviour against Kafka's MockProducer: retries, permanent failures, size limit. */
class RecordSenderTest {

    private final KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers("unused:9092")
            .clusterId("c").members(Set.of("n1", "n2")).sendRetry(3, 1).build();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DropCounters drops = new DropCounters("test", System::nanoTime);
    private final RecordSender sender = new RecordSender(new MessageCodec(), config.topicNames(), producer, scheduler,
            config, "n1", () -> 2_000, drops);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void transientFailureIsRetriedUntilItSucceeds() {
        sender.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        Await.until("the first attempt", () -> producer.history().size() == 1);
        assertEquals("raftbus.c.n2", producer.history().get(0).topic());
        producer.errorNext(new NotEnoughReplicasException("ISR too small"));
        Await.until("the retry re-sends", () -> producer.history().size() == 2);
        producer.completeNext();
        Await.until("the message counts as sent", () -> sender.sentCount() == 1);
        assertEquals(0, drops.count(DropCause.SEND_FAILED));
    }

    @Test
    void onlyAcknowledgedMessagesAreTimed() {
        sender.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        Await.until("the first attempt", () -> producer.history().size() == 1);
        producer.errorNext(new InvalidTopicException("no such topic name"));
        Await.until("counted as send-failed", () -> drops.count(DropCause.SEND_FAILED) == 1);
        assertEquals(0, sender.sendLatency().count());

        sender.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        Await.until("the second message's attempt", () -> producer.history().size() == 2);
        producer.completeNext();
        Await.until("the acknowledged message is timed", () -> sender.sendLatency().count() == 1);
    }

    @Test
    void transientFailuresBeyondTheAttemptsAreDroppedAndCounted() {
        sender.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        for (int attempt = 1; attempt <= 3; attempt++) {
            int expected = attempt;
            Await.until("attempt " + attempt, () -> producer.history().size() == expected);
            producer.errorNext(new NotEnoughReplicasException("ISR too small"));
        }
        Await.until("counted as send-failed", () -> drops.count(DropCause.SEND_FAILED) == 1);
        assertEquals(3, producer.history().size());
    }

    @Test
    void permanentFailureIsNotRetried() {
        sender.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        Await.until("the first attempt", () -> producer.history().size() == 1);
        producer.errorNext(new InvalidTopicException("no such topic name"));
        Await.until("counted as send-failed", () -> drops.count(DropCause.SEND_FAILED) == 1);
        assertEquals(1, producer.history().size());
    }

    @Test
    void messageOverTheLimitIsRefusedBeforeKafka() {
        sender.send(new AppendEntriesRequest("c", "n1", "n2", 1, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.COMMAND, new byte[3_000])), 0));
        assertEquals(1, drops.count(DropCause.TOO_LARGE));
        assertEquals(0, producer.history().size());
    }

    @Test
    void atWriteVersion4InstallSnapshotMessagesAreDroppedAndCountedAndTheRestIsSentAsVersion4() throws Exception {
        KafkaTransportConfig version4 = KafkaTransportConfig.builder().from(config).envelopeWriteVersion(4).build();
        RecordSender oldWriter = new RecordSender(new MessageCodec().writing(version4.envelopeWriteVersion()),
                version4.topicNames(), producer, scheduler, version4, "n1", () -> 2_000, drops);
        oldWriter.send(new InstallSnapshotRequest("c", "n1", "n2", 1, 10, 1, Membership.ofVoters(Set.of("n1", "n2")),
                4, 7, 0, new byte[4], true, 0));
        oldWriter.send(new InstallSnapshotResponse("c", "n2", "n1", 1, 10, 1, 7, 4, true, 10, 0));
        assertEquals(2, drops.count(DropCause.WRITE_VERSION_TOO_OLD));
        assertEquals(0, producer.history().size(), "nothing reached Kafka");

        oldWriter.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
        Await.until("the vote request is handed to Kafka", () -> producer.history().size() == 1);
        byte[] written = producer.history().get(0).value();
        MessageAssertions.assertSameMessage(new VoteRequest("c", "n1", "n2", 1, 0, 0),
                Version4Node.codec().decode(written));
    }

    @Test
    void onTheCallersThreadAProducerThatWouldWaitTakesNothingAndSaysSo() throws Exception {
        try (KafkaProducer<byte[], byte[]> neverBlocking = producerWithoutBroker()) {
            RecordSender direct = new RecordSender(new MessageCodec(), config.topicNames(), neverBlocking, scheduler,
                    config, "n1", () -> 2_000, drops, new Latency(), 0);
            assertFalse(direct.trySend(new VoteRequest("c", "n1", "n2", 1, 0, 0)),
                    "no metadata for the inbox: the caller must queue the message instead");
            assertEquals(Map.of(), drops.snapshot(), "nothing sent, nothing dropped");
            assertTrue(direct.trySend(new VoteRequest("c", null, "n2", 1, 0, 0)),
                    "a message refused before Kafka is handled (and counted) on the spot");
            assertEquals(1, drops.count(DropCause.ENCODE_FAILED));
        }
    }

    @Test
    void onALaneThreadAProducerWithoutRoomIsWaitedForThenRetriedAsATransientFailure() throws Exception {
        try (KafkaProducer<byte[], byte[]> neverBlocking = producerWithoutBroker()) {
            RecordSender lane = new RecordSender(new MessageCodec(), config.topicNames(), neverBlocking, scheduler,
                    config, "n1", () -> 2_000, drops, new Latency(), 20);
            lane.send(new VoteRequest("c", "n1", "n2", 1, 0, 0));
            Await.until("counted as send-failed after every attempt waited",
                    () -> drops.count(DropCause.SEND_FAILED) == 1);
            assertEquals(0, lane.sentCount());
        }
    }

    @Test
    void directSendsAreRetriedLikeTheLanes() {
        assertTrue(sender.trySend(new VoteRequest("c", "n1", "n2", 1, 0, 0)));
        Await.until("the first attempt", () -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("ISR too small"));
        Await.until("the retry re-sends", () -> producer.history().size() == 2);
        producer.errorNext(new NotEnoughReplicasException("ISR too small"));
        Await.until("the last retry re-sends", () -> producer.history().size() == 3);
        producer.completeNext();
        Await.until("the message counts as sent", () -> sender.sentCount() == 1);
        assertEquals(0, drops.count(DropCause.SEND_FAILED));
    }

    /** A producer that runs the transport's way (max.block.ms=0) with no broker where it looks for one. */
    private static KafkaProducer<byte[], byte[]> producerWithoutBroker() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        return new KafkaProducer<>(Map.of("bootstrap.servers", "127.0.0.1:" + freePort, "max.block.ms", 0,
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
    }

    @Test
    void unencodableMessageIsCounted() {
        sender.send(new VoteRequest("c", null, "n2", 1, 0, 0));
        assertEquals(1, drops.count(DropCause.ENCODE_FAILED));
    }
}
