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
import java.util.Objects;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A node reads records written by nodes running previous envelope schemas (src/test/avro/Envelope-v1.avsc, before
 * sentAtMillis; Envelope-v2.avsc, before TimeoutNow, VoteRequest.leadershipTransfer, AppendEntries readSeq and
 * CommandRequest.read; Envelope-v3.avsc, before the PreVote pre-campaign number; Envelope-v4.avsc, before
 * InstallSnapshot).
 */
class SchemaEvolutionTest {

    private static Schema previousEnvelope(String version) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/Envelope-" + version + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3", "v4"})
    void currentSchemaCanReadThePreviousOnes(String version) throws IOException {
        Schema previous = previousEnvelope(version);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(Envelope.getClassSchema(), previous).getType());
        assertNotEquals(SchemaNormalization.parsingFingerprint64(previous),
                MessageCodec.currentSchemaFingerprint(), version + " must be a different schema version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3", "v4"})
    void decodesAVoteRequestWrittenWithAPreviousSchema(String version) throws Exception {
        Schema previous = previousEnvelope(version);
        byte[] bytes = writeVoteRequest(previous);

        MessageCodec codec = new MessageCodec(List.of(previous), System::currentTimeMillis);
        RaftMessage decoded = codec.decode(bytes);
        assertSameMessage(new VoteRequest("prod", "n1", "n2", 7, 42, 6, false), decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3"})
    void versionsBeforeThePreviousOneAreReadOnlyWhenRegistered(String version) throws Exception {
        byte[] bytes = writeVoteRequest(previousEnvelope(version));
        MessageDecodeException unknown = assertThrows(MessageDecodeException.class,
                () -> new MessageCodec().decode(bytes));
        assertEquals(MessageDecodeException.Category.UNKNOWN_SCHEMA, unknown.category(),
                "without the old schema registered the fingerprint is unknown");
    }

    @Test
    void theDefaultCodecReadsVersion4WhichNodesWriteDuringARollingUpgrade() throws Exception {
        assertSameMessage(new VoteRequest("prod", "n1", "n2", 7, 42, 6, false),
                new MessageCodec().decode(writeVoteRequest(previousEnvelope("v4"))));
    }

    @Test
    void theCodecWritesVersion4WithTheFrozenVersion4Schema() throws IOException {
        // the codec's own copy (src/main/resources) and this frozen one must never drift apart
        Schema frozen = previousEnvelope("v4");
        assertEquals(Version4Node.FINGERPRINT, SchemaNormalization.parsingFingerprint64(frozen));
        Schema codecCopy;
        try (InputStream in = Objects.requireNonNull(
                MessageCodec.class.getResourceAsStream("Envelope-v4.avsc"), "codec's Envelope-v4.avsc")) {
            codecCopy = new Schema.Parser().parse(in);
        }
        assertEquals(Version4Node.FINGERPRINT, SchemaNormalization.parsingFingerprint64(codecCopy));
        byte[] written = new MessageCodec().writing(4).encode(new VoteRequest("prod", "n1", "n2", 7, 42, 6));
        assertEquals(Version4Node.FINGERPRINT,
                ByteBuffer.wrap(written, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
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
        Schema v4 = previousEnvelope("v4");
        MessageCodec codec = new MessageCodec(List.of(v1, v2, v3), System::currentTimeMillis);
        VoteRequest expected = new VoteRequest("prod", "n1", "n2", 7, 42, 6);
        assertSameMessage(expected, codec.decode(writeVoteRequest(v1)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v2)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v3)));
        assertSameMessage(expected, codec.decode(writeVoteRequest(v4)));
        VoteRequest transfer = new VoteRequest("prod", "n1", "n2", 8, 42, 6, true);
        assertSameMessage(transfer, codec.decode(codec.encode(transfer)));
    }

    @Test
    void version3OnlyAppendsToTheMessageUnion() throws IOException {
        List<String> v2Branches = branchNames(previousEnvelope("v2"));
        List<String> v3Branches = branchNames(previousEnvelope("v3"));
        assertEquals(v2Branches, v3Branches.subList(0, v2Branches.size()), "existing branch indexes keep their meaning");
        assertEquals(List.of("TimeoutNowRecord"), v3Branches.subList(v2Branches.size(), v3Branches.size()));
    }

    @Test
    void version4KeepsVersion3sMessageUnion() throws IOException {
        assertEquals(branchNames(previousEnvelope("v3")), branchNames(previousEnvelope("v4")));
    }

    @Test
    void version5OnlyAppendsToTheMessageUnionAndKeepsEveryOtherRecord() throws IOException {
        Schema v4Union = previousEnvelope("v4").getField("message").schema();
        Schema v5Union = Envelope.getClassSchema().getField("message").schema();
        List<String> v4Branches = branchNames(previousEnvelope("v4"));
        List<String> v5Branches = branchNames(Envelope.getClassSchema());
        assertEquals(v4Branches, v5Branches.subList(0, v4Branches.size()),
                "existing branch indexes keep their meaning");
        assertEquals(List.of("InstallSnapshotRequestRecord", "InstallSnapshotResponseRecord"),
                v5Branches.subList(v4Branches.size(), v5Branches.size()));
        for (int i = 0; i < v4Branches.size(); i++) { // so the generated classes also write version 4, field by field
            assertEquals(SchemaNormalization.toParsingForm(v4Union.getTypes().get(i)),
                    SchemaNormalization.toParsingForm(v5Union.getTypes().get(i)), v4Branches.get(i));
        }
        assertEquals(fieldNames(previousEnvelope("v4")), fieldNames(Envelope.getClassSchema()));
    }

    @Test
    void aVersion4NodeCannotReadVersion5Records() throws IOException {
        // why a node writes version 4 until every member runs version 5: a v4 node knows v4's fingerprint, not v5's
        Schema v4 = previousEnvelope("v4");
        SchemaStore.Cache version4Store = new SchemaStore.Cache();
        version4Store.addSchema(v4);
        BinaryMessageDecoder<GenericRecord> version4Node =
                new BinaryMessageDecoder<>(GenericData.get(), v4, version4Store);
        byte[] preVote = new MessageCodec().encode(new PreVoteRequest("prod", "n1", "n2", 7, 42, 6, 99));
        assertThrows(MissingSchemaException.class, () -> version4Node.decode(preVote));

        // what it writes at version 4 it reads, and even given v5's schema it could not read an InstallSnapshot
        byte[] preVoteV4 = new MessageCodec().writing(4).encode(new PreVoteRequest("prod", "n1", "n2", 7, 42, 6, 99));
        assertEquals(99L, ((GenericRecord) version4Node.decode(preVoteV4).get("message")).get("preCampaignNumber"));
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(v4, Envelope.getClassSchema()).getType());
    }

    @Test
    void aVersion3NodeCannotReadVersion4Records() throws IOException {
        // what docs/KAFKA.md warns about: a v3 node's schema store knows v3's fingerprint (and older ones), not v4's
        Schema v3 = previousEnvelope("v3");
        SchemaStore.Cache version3Store = new SchemaStore.Cache();
        version3Store.addSchema(v3);
        byte[] written = new MessageCodec().writing(4).encode(new PreVoteRequest("prod", "n1", "n2", 7, 42, 6, 99));
        BinaryMessageDecoder<GenericRecord> version3Node =
                new BinaryMessageDecoder<>(GenericData.get(), v3, version3Store);
        assertThrows(MissingSchemaException.class, () -> version3Node.decode(written));

        // version 4 only adds fields with defaults: given v4's schema, a v3 reader resolves v4 records
        version3Store.addSchema(previousEnvelope("v4"));
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

    private static List<String> fieldNames(Schema envelopeSchema) {
        return envelopeSchema.getFields().stream().map(Schema.Field::name).toList();
    }

    private static List<String> branchNames(Schema envelopeSchema) {
        return envelopeSchema.getField("message").schema().getTypes().stream().map(Schema::getName).toList();
    }
}
