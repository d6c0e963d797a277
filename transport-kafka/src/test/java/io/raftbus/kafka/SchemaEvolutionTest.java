package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.kafka.avro.Envelope;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
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
 * CommandRequest.read; Envelope-v3.avsc, before the PreVote pre-campaign number).
 */
class SchemaEvolutionTest {

    private static Schema previousEnvelope(String version) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/Envelope-" + version + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3"})
    void currentSchemaCanReadThePreviousOnes(String version) throws IOException {
        Schema previous = previousEnvelope(version);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(Envelope.getClassSchema(), previous).getType());
        assertNotEquals(SchemaNormalization.parsingFingerprint64(previous),
                MessageCodec.currentSchemaFingerprint(), version + " must be a different schema version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3"})
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

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3"})
    void preVoteMessagesWrittenWithAPreviousSchemaCarryPreCampaignNumberZero(String version) throws Exception {
        Schema previous = previousEnvelope(version);
        MessageCodec codec = new MessageCodec(List.of(previous), System::currentTimeMillis);

        byte[] request = write(previous, "PreVoteRequestRecord", Map.of("term", 7L, "lastLogIndex", 42L,
                "lastLogTerm", 6L));
        assertSameMessage(new PreVoteRequest("prod", "n1", "n2", 7, 42, 6, 0), codec.decode(request));

        byte[] grant = write(previous, "PreVoteResponseRecord", Map.of("term", 7L, "granted", true));
        assertSameMessage(new PreVoteResponse("prod", "n1", "n2", 7, true, 0), codec.decode(grant));
    }

    @Test
    void aCodecReadsEveryRegisteredVersionAtOnce() throws Exception {
        Schema v1 = previousEnvelope("v1");
        Schema v2 = previousEnvelope("v2");
        Schema v3 = previousEnvelope("v3");
        MessageCodec codec = new MessageCodec(List.of(v1, v2, v3), System::currentTimeMillis);
        VoteRequest expected = new VoteRequest("prod", "n1", "n2", 7, 42, 6);
        assertSameMessage(expected, codec.decode(writeVoteRequest(v1)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v2)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v3)));
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
    void version4KeepsVersion3sMessageUnion() throws IOException {
        assertEquals(branchNames(previousEnvelope("v3")), branchNames(Envelope.getClassSchema()));
    }

    @Test
    void aVersion3NodeCannotReadVersion4Records() throws IOException {
        // what docs/KAFKA.md warns about: a v3 node's schema store knows v3's fingerprint (and older ones), not v4's
        Schema v3 = previousEnvelope("v3");
        SchemaStore.Cache version3Store = new SchemaStore.Cache();
        version3Store.addSchema(v3);
        byte[] written = new MessageCodec().encode(new PreVoteRequest("prod", "n1", "n2", 7, 42, 6, 99));
        BinaryMessageDecoder<GenericRecord> version3Node =
                new BinaryMessageDecoder<>(GenericData.get(), v3, version3Store);
        assertThrows(MissingSchemaException.class, () -> version3Node.decode(written));

        // version 4 only adds fields with defaults: given v4's schema, a v3 reader resolves v4 records
        version3Store.addSchema(Envelope.getClassSchema());
        GenericRecord read = (GenericRecord) version3Node.decode(written).get("message");
        assertEquals(7L, read.get("term"));
        assertEquals(null, read.getSchema().getField("preCampaignNumber"), "a v3 reader skips the number");
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

    /**
     * A message (prod, n1 -> n2) with the given record type and field values (defaults for the rest), as
     * {@code envelopeSchema} writes it.
     */
    private static byte[] write(Schema envelopeSchema, String recordName, Map<String, Object> fields)
            throws IOException {
        Schema messageSchema = envelopeSchema.getField("message").schema().getTypes().stream()
                .filter(s -> s.getName().equals(recordName)).findFirst().orElseThrow();
        GenericRecord message = new GenericData.Record(messageSchema);
        for (Schema.Field field : messageSchema.getFields()) { // a field not given takes its default, if it has one
            if (field.hasDefaultValue()) {
                message.put(field.name(), GenericData.get().getDefaultValue(field));
            }
        }
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
