package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.kafka.avro.AppendEntriesRequestRecord;
import io.raftbus.kafka.avro.EntryTypeRecord;
import io.raftbus.kafka.avro.Envelope;
import io.raftbus.kafka.avro.LogEntryRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void everyMessageTypeRoundTripsWithRandomFieldValues() {
        Random random = new Random(20261124L);
        Set<Class<?>> covered = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            for (Function<Random, RaftMessage> generator : RandomMessages.ALL_TYPES) {
                RaftMessage message = generator.apply(random);
                RaftMessage decoded = decodeOrFail(codec.encode(message));
                assertSameMessage(message, decoded);
                covered.add(message.getClass());
            }
        }
        assertEquals(RaftMessage.class.getPermittedSubclasses().length, covered.size(),
                "round trip covers every permitted RaftMessage type");
    }

    @Test
    void encodingUsesSingleObjectHeaderWithTheCurrentFingerprint() {
        byte[] bytes = codec.encode(new VoteRequest("c", "a", "b", 3, 4, 2));
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(MessageCodec.currentSchemaFingerprint(), fingerprint);
    }

    @Test
    void nullRequiredFieldIsRefusedWithClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new VoteRequest(null, "a", "b", 1, 1, 1)));
        assertTrue(e.getMessage().contains("VoteRequest"), e.getMessage());
    }

    @Test
    void bytesWithoutHeaderAreNotAnEnvelope() {
        assertCategory(MessageDecodeException.Category.NOT_AN_ENVELOPE, new byte[0]);
        assertCategory(MessageDecodeException.Category.NOT_AN_ENVELOPE, "hello, raft".getBytes());
        assertCategory(MessageDecodeException.Category.NOT_AN_ENVELOPE, new byte[] {(byte) 0xC3, 0x01, 1, 2});
        assertCategory(MessageDecodeException.Category.NOT_AN_ENVELOPE, null);
    }

    @Test
    void unknownFingerprintIsReportedAsUnknownSchema() {
        byte[] bytes = codec.encode(new VoteRequest("c", "a", "b", 3, 4, 2));
        bytes[5] ^= 0x5A;
        assertCategory(MessageDecodeException.Category.UNKNOWN_SCHEMA, bytes);
    }

    @Test
    void truncatedOrPaddedBodyIsMalformed() {
        byte[] bytes = codec.encode(new VoteRequest("cluster", "alpha", "beta", 3, 4, 2));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 2);
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertCategory(MessageDecodeException.Category.MALFORMED, truncated);
        assertCategory(MessageDecodeException.Category.MALFORMED, padded);
    }

    @Test
    void badUnionBranchIsMalformed() {
        byte[] bytes = codec.encode(new VoteRequest("c", "a", "b", 3, 4, 2));
        // body: "c" "a" "b" (2 bytes each), then the union index (zig-zag): make it 40
        bytes[10 + 6] = 80;
        assertCategory(MessageDecodeException.Category.MALFORMED, bytes);
    }

    @Test
    void hugeLengthPrefixIsRejectedWithoutAllocatingIt() {
        ByteBuffer body = ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put((byte) 0xC3).put((byte) 0x01).putLong(MessageCodec.currentSchemaFingerprint());
        // cluster id: a string "of 2,000,000,000 bytes" (zig-zag varint of 4e9), then a few real bytes
        long zigzag = 4_000_000_000L;
        while ((zigzag & ~0x7FL) != 0) {
            body.put((byte) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        body.put((byte) zigzag).put("abc".getBytes());
        byte[] bytes = java.util.Arrays.copyOf(body.array(), body.position());

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertCategory(MessageDecodeException.Category.MALFORMED, bytes);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16 * 1024 * 1024, "decoding a hostile length allocated " + allocated + " bytes");
    }

    @Test
    void wellFormedButInvalidEntryIsInvalidMessage() throws Exception {
        Envelope envelope = Envelope.newBuilder().setClusterId("c").setSender("a").setReceiver("b")
                .setMessage(new AppendEntriesRequestRecord(1L, 0L, 0L,
                        List.of(new LogEntryRecord(0L, 1L, EntryTypeRecord.COMMAND, ByteBuffer.wrap(new byte[1]))),
                        0L, 0L))
                .build();
        byte[] bytes = toArray(Envelope.getEncoder().encode(envelope));
        assertCategory(MessageDecodeException.Category.INVALID_MESSAGE, bytes);
    }

    @Test
    void randomAndMutatedBytesNeverEscapeAsAnythingButDecodeException() {
        Random random = new Random(7L);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = mutate(codec.encode(RandomMessages.any(random)), random);
            try {
                codec.decode(bytes);
                decoded++;
            } catch (MessageDecodeException e) {
                refused++;
            }
        }
        assertEquals(10_000, decoded + refused);
        assertTrue(refused > 0, "some mutations must be refused");
    }

    @Test
    void largeAppendEntriesRoundTrips() {
        byte[] payload = new byte[700_000];
        new Random(3).nextBytes(payload);
        AppendEntriesRequest request = new AppendEntriesRequest("c", "a", "b", 9, 10, 8,
                List.of(new LogEntry(11, 9, EntryType.COMMAND, payload)), 10);
        assertSameMessage(request, decodeOrFail(codec.encode(request)));
    }

    @Test
    void timeoutNowRoundTrips() {
        TimeoutNow timeoutNow = new TimeoutNow("c", "leader", "follower", 12);
        assertSameMessage(timeoutNow, decodeOrFail(codec.encode(timeoutNow)));
    }

    @Test
    void voteRequestCarriesTheLeadershipTransferFlagBothWays() {
        VoteRequest transfer = new VoteRequest("c", "a", "b", 5, 40, 4, true);
        VoteRequest ordinary = new VoteRequest("c", "a", "b", 5, 40, 4, false);
        assertSameMessage(transfer, decodeOrFail(codec.encode(transfer)));
        assertSameMessage(ordinary, decodeOrFail(codec.encode(ordinary)));
    }

    @Test
    void preVoteMessagesCarryThePreCampaignNumberBothWays() {
        PreVoteRequest request = new PreVoteRequest("c", "a", "b", 5, 40, 4, Long.MIN_VALUE);
        PreVoteResponse grant = PreVoteResponse.grant(request);
        assertSameMessage(request, decodeOrFail(codec.encode(request)));
        assertSameMessage(grant, decodeOrFail(codec.encode(grant)));
        assertEquals(Long.MIN_VALUE, ((PreVoteResponse) decodeOrFail(codec.encode(grant))).preCampaignNumber());
    }

    @Test
    void appendEntriesCarriesTheReadSeqBothWays() {
        AppendEntriesRequest heartbeat = new AppendEntriesRequest("c", "leader", "f", 5, 40, 4, List.of(), 39, 17);
        AppendEntriesRequest withEntries = new AppendEntriesRequest("c", "leader", "f", 5, 40, 4,
                List.of(new LogEntry(41, 5, EntryType.COMMAND, new byte[] {1, 2})), 40, Long.MAX_VALUE);
        AppendEntriesResponse echo = new AppendEntriesResponse("c", "f", "leader", 5, true, 41, 0, 0, 0, 41, 17);
        AppendEntriesResponse rejection = new AppendEntriesResponse("c", "f", "leader", 5, false, 0, 41, 3, 30, 35,
                Long.MAX_VALUE);
        for (RaftMessage message : List.<RaftMessage>of(heartbeat, withEntries, echo, rejection)) {
            assertSameMessage(message, decodeOrFail(codec.encode(message)));
        }
        assertEquals(17, ((AppendEntriesRequest) decodeOrFail(codec.encode(heartbeat))).readSeq());
        assertEquals(17, ((AppendEntriesResponse) decodeOrFail(codec.encode(echo))).readSeq());
    }

    @Test
    void commandRequestCarriesTheReadFlagBothWays() {
        CommandRequest read = new CommandRequest("c", "client-1", "n1", 0, 9, "get x".getBytes(), true);
        CommandRequest command = new CommandRequest("c", "client-1", "n1", 0, 10, "set x=1".getBytes(), false);
        assertSameMessage(read, decodeOrFail(codec.encode(read)));
        assertSameMessage(command, decodeOrFail(codec.encode(command)));
        assertTrue(((CommandRequest) decodeOrFail(codec.encode(read))).read());
    }

    @Test
    void newMessageTypeTakesTheLastUnionBranchSoOlderIndexesKeepTheirMeaning() {
        // body: "c" "a" "b" (2 bytes each), then the union index as a zig-zag varint
        assertEquals(2 * 2, codec.encode(new VoteRequest("c", "a", "b", 3, 4, 2, true))[10 + 6], "VoteRequest branch");
        assertEquals(2 * 8, codec.encode(new TimeoutNow("c", "a", "b", 3))[10 + 6], "TimeoutNow branch");
    }

    @Test
    void truncatedTimeoutNowIsMalformed() {
        byte[] bytes = codec.encode(new TimeoutNow("cluster", "alpha", "beta", Long.MAX_VALUE));
        assertCategory(MessageDecodeException.Category.MALFORMED, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertCategory(MessageDecodeException.Category.MALFORMED, java.util.Arrays.copyOf(bytes, bytes.length + 1));
    }

    @Test
    void commandResponseWithNullOptionalsRoundTrips() {
        CommandResponse response = new CommandResponse("c", "a", "client-1", 2, 77, CommandResponse.Status.NOT_LEADER,
                0, 0, null, null, null);
        assertSameMessage(response, decodeOrFail(codec.encode(response)));
    }

    /** Flips body bytes, damages the header, truncates or extends; sometimes replaces the whole record with noise. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 2 -> {
                return java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(20));
            }
            case 3 -> {
                // damage the header: marker or schema fingerprint
                int at = random.nextInt(Math.min(10, bytes.length));
                bytes[at] ^= (byte) (1 + random.nextInt(255));
                return bytes;
            }
            default -> {
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    // mostly mutate the body, keeping the header so the decoder gets past it
                    int at = bytes.length <= 10 ? random.nextInt(bytes.length) : 10 + random.nextInt(bytes.length - 10);
                    bytes[at] = (byte) random.nextInt(256);
                }
                return bytes;
            }
        }
    }

    private RaftMessage decodeOrFail(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (MessageDecodeException e) {
            throw new AssertionError("decoding failed", e);
        }
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
