package io.raftbus.kafka;

import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;
import io.raftbus.kafka.avro.Envelope;
import io.raftbus.kafka.avro.InstallSnapshotRequestRecord;
import io.raftbus.kafka.avro.InstallSnapshotResponseRecord;
import io.raftbus.kafka.avro.MembershipRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The InstallSnapshot messages of envelope version 5: round trips, and what the decoder refuses. */
class InstallSnapshotCodecTest {

    private static final Membership THREE = new Membership(Set.of("n1", "n2", "n3"), Set.of("l1"));

    private final MessageCodec codec = new MessageCodec();

    @Test
    void chunksAndAnswersRoundTrip() throws Exception {
        byte[] data = new byte[64 * 1024];
        new Random(5).nextBytes(data);
        List<RaftMessage> messages = List.of(
                new InstallSnapshotRequest("c", "n1", "n2", 7, 1000, 6, THREE, 3 * data.length, 0xDEADBEEFL, 0, data,
                        false, 3),
                new InstallSnapshotRequest("c", "n1", "n2", 7, 1000, 6, THREE, 3 * data.length, 0xDEADBEEFL,
                        2L * data.length, data, true, Long.MAX_VALUE),
                new InstallSnapshotRequest("c", "n1", "n2", 7, 1, 1, Membership.ofVoters(Set.of("n1")), 0, 0, 0,
                        new byte[0], true, 0),
                new InstallSnapshotResponse("c", "n2", "n1", 7, 1000, 6, 0xDEADBEEFL, 65536, false, 0, 3),
                new InstallSnapshotResponse("c", "n2", "n1", 7, 1000, 6, 0xDEADBEEFL, 0, true, 1042, 0));
        for (RaftMessage message : messages) {
            assertSameMessage(message, codec.decode(codec.encode(message)));
        }
    }

    @Test
    void theNewMessagesTakeTheLastUnionBranchesSoOlderIndexesKeepTheirMeaning() {
        // body: "c" "a" "b" (2 bytes each), then the union index as a zig-zag varint
        assertEquals(2 * 9, codec.encode(new InstallSnapshotRequest("c", "a", "b", 1, 1, 1, THREE, 0, 0, 0,
                new byte[0], true, 0))[10 + 6], "InstallSnapshotRequest branch");
        assertEquals(2 * 10, codec.encode(new InstallSnapshotResponse("c", "a", "b", 1, 1, 1, 0, 0, true, 1, 0))
                [10 + 6], "InstallSnapshotResponse branch");
    }

    @Test
    void chunksNoLeaderSendsAreInvalidMessages() {
        MembershipRecord members = new MembershipRecord(List.of("n1", "n2", "n3"), List.of());
        ByteBuffer four = ByteBuffer.wrap(new byte[4]);
        assertInvalid(request(0, 1, members, 10, 0, four, false), "snapshot index 0");
        assertInvalid(request(5, 0, members, 10, 0, four, false), "snapshot term 0");
        assertInvalid(request(5, 1, members, -1, 0, ByteBuffer.wrap(new byte[0]), true), "negative size");
        assertInvalid(request(5, 1, members, 10, -4, four, false), "negative offset");
        assertInvalid(request(5, 1, members, 10, 8, four, false), "chunk past the end");
        assertInvalid(request(5, 1, members, 10, Long.MAX_VALUE - 1, four, false), "offset overflowing the end");
        assertInvalid(request(5, 1, members, 10, 0, four, true), "done before the end");
        assertInvalid(request(5, 1, new MembershipRecord(List.of(), List.of("l1")), 4, 0, four, true), "no voters");
        assertInvalid(request(5, 1, new MembershipRecord(List.of("n1"), List.of("n1")), 4, 0, four, true),
                "a voter also learner");
        assertInvalid(new InstallSnapshotResponseRecord(1L, 5L, 1L, 0L, -1L, false, 0L, 0L), "negative next offset");
        assertInvalid(new InstallSnapshotResponseRecord(1L, 5L, 1L, 0L, 0L, true, -5L, 0L), "negative match index");
    }

    @Test
    void truncatedOrPaddedChunksAreMalformed() {
        byte[] bytes = codec.encode(new InstallSnapshotRequest("c", "n1", "n2", 7, 1000, 6, THREE, 100, 1, 0,
                new byte[40], false, 3));
        for (int cut = 1; cut < 60; cut++) {
            assertCategory(MessageDecodeException.Category.MALFORMED,
                    java.util.Arrays.copyOf(bytes, bytes.length - cut));
        }
        assertCategory(MessageDecodeException.Category.MALFORMED, java.util.Arrays.copyOf(bytes, bytes.length + 1));
    }

    @Test
    void hugeVoterCountOrChunkLengthIsRejectedWithoutAllocatingIt() throws IOException {
        for (boolean hugeData : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0xC3, 0x01});
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(MessageCodec.currentSchemaFingerprint()).array());
            BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
            body.writeString("c");
            body.writeString("n1");
            body.writeString("n2");
            body.writeIndex(9); // InstallSnapshotRequestRecord
            body.writeLong(7); // term
            body.writeLong(1000); // snapshot index
            body.writeLong(6); // snapshot term
            if (hugeData) {
                body.writeLong(1); // one voter
                body.writeString("n1");
                body.writeLong(0); // end of voters
                body.writeLong(0); // no learners
                body.writeLong(4_000_000_000L); // total bytes
                body.writeLong(1); // checksum
                body.writeLong(0); // offset
                body.writeLong(2_000_000_000L); // data: "2 GB" follow
            } else {
                body.writeLong(1L << 60); // voters: "2^60 names" follow
            }
            body.writeString("abc");
            body.flush();
            byte[] bytes = out.toByteArray();

            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            assertCategory(MessageDecodeException.Category.MALFORMED, bytes);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 16 * 1024 * 1024, "decoding a hostile length allocated " + allocated + " bytes");
        }
    }

    private static InstallSnapshotRequestRecord request(long index, long term, MembershipRecord membership,
                                                        long totalBytes, long offset, ByteBuffer data, boolean done) {
        return new InstallSnapshotRequestRecord(7L, index, term, membership, totalBytes, 99L, offset, data, done, 0L);
    }

    private void assertInvalid(Object record, String what) {
        byte[] bytes;
        try {
            bytes = toArray(Envelope.getEncoder().encode(Envelope.newBuilder().setClusterId("c").setSender("n1")
                    .setReceiver("n2").setMessage(record).build()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        MessageDecodeException e = assertThrows(MessageDecodeException.class, () -> codec.decode(bytes), what);
        assertEquals(MessageDecodeException.Category.INVALID_MESSAGE, e.category(), what + ": " + e.getMessage());
    }

    private void assertCategory(MessageDecodeException.Category expected, byte[] bytes) {
        MessageDecodeException e = assertThrows(MessageDecodeException.class, () -> codec.decode(bytes));
        assertEquals(expected, e.category(), e.getMessage());
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
