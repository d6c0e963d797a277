package io.raftbus.kafka;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The largest InstallSnapshot chunk the engine sends over Kafka fits: the engine sizes chunks to at most
 * {@code KafkaTransport.maxMessageBytes() - RaftNode.TRANSPORT_HEADROOM_BYTES}, and the transport's limit is the
 * inboxes' Kafka limit less {@link KafkaTransport#HEADROOM_BYTES}. Checked with the longest ids an inbox name allows
 * and a membership of 64 such ids.
 */
class SnapshotChunkSizingTest {

    /**
     * Upper bound of Kafka's framing around one record without key or headers: the record batch header (61 bytes)
     * and the record's own overhead (at most 21 bytes), rounded up.
     */
    private static final int KAFKA_FRAMING_BYTES = 128;

    /** An inbox name is at most 249 characters: "raftbus." + cluster id + "." + node id. */
    private static final String CLUSTER = "c".repeat(40);
    private static final int LONGEST_NODE_ID = 249 - "raftbus.".length() - CLUSTER.length() - ".".length();

    @ParameterizedTest
    @ValueSource(ints = {1_048_576 /* Kafka's default */, 64 * 1024, 8 * 1024 * 1024})
    void theLargestChunkTheEngineSendsFitsTheTransportsLimit(int kafkaLimit) {
        long maxMessageBytes = kafkaLimit - KafkaTransport.HEADROOM_BYTES;
        int largestChunk = (int) (maxMessageBytes - RaftNode.TRANSPORT_HEADROOM_BYTES);
        for (int chunk : new int[] {largestChunk, Math.min(largestChunk, RaftConfig.DEFAULT_SNAPSHOT_CHUNK_BYTES)}) {
            byte[] encoded = new MessageCodec().encode(chunkOf(chunk, 32, 32));
            assertTrue(encoded.length <= maxMessageBytes, "a " + chunk + "-byte chunk encodes to " + encoded.length
                    + " bytes, over the transport's " + maxMessageBytes);
            assertTrue(encoded.length + KAFKA_FRAMING_BYTES <= kafkaLimit, "framed, over Kafka's " + kafkaLimit);
        }
    }

    /** A chunk of {@code dataBytes} between the longest ids, of a snapshot whose membership has the longest ids. */
    private static InstallSnapshotRequest chunkOf(int dataBytes, int voters, int learners) {
        Set<String> voterIds = new HashSet<>();
        Set<String> learnerIds = new HashSet<>();
        for (int i = 0; i < voters; i++) {
            voterIds.add(longestId("v" + i));
        }
        for (int i = 0; i < learners; i++) {
            learnerIds.add(longestId("l" + i));
        }
        return new InstallSnapshotRequest(CLUSTER, longestId("leader"), longestId("follower"), Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE, new Membership(voterIds, learnerIds), Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MAX_VALUE - dataBytes, new byte[dataBytes], true, Long.MIN_VALUE);
    }

    private static String longestId(String name) {
        return name + "-".repeat(LONGEST_NODE_ID - name.length());
    }
}
