package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.kafka.avro.Envelope;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A node reads records written by nodes running previous envelope schemas (src/test/avro/Envelope-v1.avsc, before
 * sentAtMillis; Envelope-v2.avsc, before TimeoutNow, VoteRequest.leadershipTransfer, AppendEntries readSeq and
 * CommandRequest.read).
 */
class SchemaEvolutionTest {

    private static Schema previousEnvelope(String version) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/Envelope-" + version + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void currentSchemaCanReadThePreviousOnes(String version) throws IOException {
        Schema previous = previousEnvelope(version);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(Envelope.getClassSchema(), previous).getType());
        assertNotEquals(SchemaNormalization.parsingFingerprint64(previous),
                MessageCodec.currentSchemaFingerprint(), version + " must be a different schema version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void decodesAVoteRequestWrittenWithAPreviousSchema(String version) throws Exception {
        Schema previous = previousEnvelope(version);
        byte[] bytes = writeVoteRequest(previous);

        MessageCodec codec = new MessageCodec(List.of(previous), System::currentTimeMillis);
        RaftMessage decoded = codec.decode(bytes);
        assertSameMessage(new VoteRequest("prod", "n1", "n2", 7, 42, 6, false), decoded);

        MessageDecodeException unknown = assertThrows(MessageDecodeException.class,
                () -> new MessageCodec().decode(bytes));
        assertEquals(MessageDecodeException.Category.UNKNOWN_SCHEMA, unknown.category(),
                "without the old schema registered the fingerprint is unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void readIndexFieldsTakeTheirDefaultsInRecordsWrittenWithAPreviousSchema(String version) throws Exception {
        Schema previous = previousEnvelope(version);
        MessageCodec codec = new MessageCodec(List.of(previous), System::currentTimeMillis);

        byte[] append = write(previous, "AppendEntriesRequestRecord", Map.of("term", 7L, "prevLogIndex", 42L,
                "prevLogTerm", 6L, "entries", List.of(), "leaderCommit", 40L));
        assertSameMessage(new AppendEntriesRequest("prod", "n1", "n2", 7, 42, 6, List.of(), 40, 0),
                codec.decode(append));

        byte[] appendResponse = write(previous, "AppendEntriesResponseRecord", Map.of("term", 7L, "success", true,
                "matchIndex", 42L, "rejectedIndex", 0L, "conflictTerm", 0L, "conflictIndex", 0L,
                "lastLogIndex", 42L));
        assertSameMessage(new AppendEntriesResponse("prod", "n1", "n2", 7, true, 42, 0, 0, 0, 42, 0),
                codec.decode(appendResponse));

        byte[] command = write(previous, "CommandRequestRecord", Map.of("term", 0L, "requestId", 5L,
                "command", ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertSameMessage(new CommandRequest("prod", "n1", "n2", 0, 5, new byte[] {1, 2, 3}, false),
                codec.decode(command));
    }

    @Test
    void aCodecReadsEveryRegisteredVersionAtOnce() throws Exception {
        Schema v1 = previousEnvelope("v1");
        Schema v2 = previousEnvelope("v2");
        MessageCodec codec = new MessageCodec(List.of(v1, v2), System::currentTimeMillis);
        VoteRequest expected = new VoteRequest("prod", "n1", "n2", 7, 42, 6);
        assertSameMessage(expected, codec.decode(writeVoteRequest(v1)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v2)));
        VoteRequest transfer = new VoteRequest("prod", "n1", "n2", 8, 42, 6, true);
        assertSameMessage(transfer, codec.decode(codec.encode(transfer)));
    }

    @Test
    void version3OnlyAppendsToTheMessageUnion() throws IOException {
        List<String> v2Branches = branchNames(previousEnvelope("v2"));
        List<String> v3Branches = branchNames(Envelope.getClassSchema());
        assertEquals(v2Branches, v3Branches.subList(0, v2Branches.size()), "existing branch indexes keep their meaning");
        assertEquals(List.of("TimeoutNowRecord"), v3Branches.subList(v2Branches.size(), v3Branches.size()));
    }

    @Test
    void aVersion2NodeCannotReadVersion3Records() throws IOException {
        // what docs/KAFKA.md warns about: v2 readers lack the TimeoutNow branch, so v3 writers need upgraded readers
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(previousEnvelope("v2"), Envelope.getClassSchema())
                        .getType());
    }

    /** A VoteRequest(prod, n1 -> n2, term 7, last log 42 at term 6) as a node running {@code envelopeSchema} writes it. */
    private static byte[] writeVoteRequest(Schema envelopeSchema) throws IOException {
        return write(envelopeSchema, "VoteRequestRecord", Map.of("term", 7L, "lastLogIndex", 42L, "lastLogTerm", 6L));
    }

    /** A message (prod, n1 -> n2) with the given record type and field values, as {@code envelopeSchema} writes it. */
    private static byte[] write(Schema envelopeSchema, String recordName, Map<String, Object> fields)
            throws IOException {
        Schema messageSchema = envelopeSchema.getField("message").schema().getTypes().stream()
                .filter(s -> s.getName().equals(recordName)).findFirst().orElseThrow();
        GenericRecord message = new GenericData.Record(messageSchema);
        fields.forEach(message::put);
        GenericRecord envelope = new GenericData.Record(envelopeSchema);
        envelope.put("clusterId", "prod");
        envelope.put("sender", "n1");
        envelope.put("receiver", "n2");
        envelope.put("message", message);
        if (envelopeSchema.getField("sentAtMillis") != null) {
            envelope.put("sentAtMillis", 1_700_000_000_000L);
        }
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), envelopeSchema).encode(envelope);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);
        return bytes;
    }

    private static List<String> branchNames(Schema envelopeSchema) {
        return envelopeSchema.getField("message").schema().getTypes().stream().map(Schema::getName).toList();
    }
}
