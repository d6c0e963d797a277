package io.raftbus.kafka;

import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.Membership;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rolling-upgrade switch at the codec: a node writing version 4 is read by version-4 nodes and by current ones,
 * and cannot carry the InstallSnapshot messages; a version-4 node given a version-5 record refuses it cleanly.
 */
class EnvelopeWriteVersionTest {

    private static final InstallSnapshotRequest CHUNK = new InstallSnapshotRequest("c", "n1", "n2", 3, 500, 2,
            Membership.ofVoters(Set.of("n1", "n2", "n3")), 8, 0xCAFEL, 0, new byte[8], true, 0);

    private final MessageCodec current = new MessageCodec();
    private final MessageCodec writingVersion4 = current.writing(4);

    @Test
    void everyMessageVersion4CarriesIsReadByVersion4NodesAndCurrentOnes() throws Exception {
        Random random = new Random(20261202L);
        MessageCodec version4Node = Version4Node.codec();
        int carried = 0;
        for (int i = 0; i < 200; i++) {
            for (Function<Random, RaftMessage> generator : RandomMessages.ALL_TYPES) {
                RaftMessage message = generator.apply(random);
                if (!writingVersion4.carries(message)) {
                    continue;
                }
                byte[] bytes = writingVersion4.encode(message);
                assertEquals(Version4Node.FINGERPRINT, fingerprint(bytes));
                assertSameMessage(message, current.decode(bytes));
                assertSameMessage(message, version4Node.decode(bytes));
                carried++;
            }
        }
        assertEquals(200 * 9, carried, "version 4 carries the nine message types before InstallSnapshot");
    }

    @Test
    void version4CannotCarryInstallSnapshotAndSaysSo() {
        InstallSnapshotResponse answer = new InstallSnapshotResponse("c", "n2", "n1", 3, 500, 2, 0xCAFEL, 8, true, 500,
                0);
        assertFalse(writingVersion4.carries(CHUNK));
        assertFalse(writingVersion4.carries(answer));
        assertTrue(current.carries(CHUNK));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writingVersion4.encode(CHUNK));
        assertTrue(e.getMessage().contains("needs envelope version 5"), e.getMessage());
        assertEquals(4, writingVersion4.writeVersion());
        assertEquals(5, writingVersion4.writing(5).writeVersion());
        assertThrows(IllegalArgumentException.class, () -> current.writing(3));
        assertThrows(IllegalArgumentException.class, () -> current.writing(6));
    }

    @Test
    void aVersion4NodeRefusesAVersion5InstallSnapshotAsUnknownSchema() {
        MessageDecodeException e = assertThrows(MessageDecodeException.class,
                () -> Version4Node.codec().decode(current.encode(CHUNK)));
        assertEquals(MessageDecodeException.Category.UNKNOWN_SCHEMA, e.category(), e.getMessage());
    }

    @Test
    void aVersion4NodesInboxCountsAVersion5RecordAndKeepsDelivering() throws Exception {
        TopicPartition inbox = new TopicPartition("raftbus.c.n2", 0);
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
        consumer.updateEndOffsets(Map.of(inbox, 0L));
        ConcurrentLinkedQueue<RaftMessage> delivered = new ConcurrentLinkedQueue<>();
        DropCounters drops = new DropCounters("old n2", System::nanoTime);
        try (InboxConsumer old = new InboxConsumer(consumer, inbox, Version4Node.codec(),
                new InboundFilter("c", new ClusterMembers("n2", Set.of("n1", "n2", "n3"))), delivered::add, drops,
                Duration.ofMillis(10), "test-inbox-old-n2")) {
            old.seekToEnd(Duration.ofSeconds(1));
            VoteRequest vote = new VoteRequest("c", "n1", "n2", 3, 499, 2);
            consumer.schedulePollTask(() -> {
                consumer.addRecord(record(inbox, 0, current.encode(CHUNK)));
                consumer.addRecord(record(inbox, 1, writingVersion4.encode(vote)));
            });
            old.start();
            io.raftbus.engine.testing.Await.until("the vote request after the refused chunk is delivered",
                    () -> !delivered.isEmpty());
            assertEquals(1, drops.count(DropCause.UNKNOWN_SCHEMA), drops.snapshot().toString());
            assertSameMessage(vote, delivered.peek());
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition inbox, long offset, byte[] value) {
        return new ConsumerRecord<>(inbox.topic(), inbox.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, 0,
                null, value, new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
    }

    private static long fingerprint(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
