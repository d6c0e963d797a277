package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.kafka.avro.Envelope;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A node reads records written by a node running the previous envelope schema (src/test/avro/Envelope-v1.avsc). */
class SchemaEvolutionTest {

    private static Schema previousEnvelope() throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/Envelope-v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void currentSchemaCanReadThePreviousOne() throws IOException {
        Schema v1 = previousEnvelope();
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(Envelope.getClassSchema(), v1).getType());
        assertNotEquals(org.apache.avro.SchemaNormalization.parsingFingerprint64(v1),
                MessageCodec.currentSchemaFingerprint(), "v1 must be a different schema version");
    }

    @Test
    void decodesARecordWrittenWithThePreviousSchema() throws Exception {
        Schema v1 = previousEnvelope();
        Schema voteRequestV1 = v1.getField("message").schema().getTypes().stream()
                .filter(s -> s.getName().equals("VoteRequestRecord")).findFirst().orElseThrow();
        GenericRecord vote = new GenericData.Record(voteRequestV1);
        vote.put("term", 7L);
        vote.put("lastLogIndex", 42L);
        vote.put("lastLogTerm", 6L);
        GenericRecord envelope = new GenericData.Record(v1);
        envelope.put("clusterId", "prod");
        envelope.put("sender", "n1");
        envelope.put("receiver", "n2");
        envelope.put("message", vote);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(envelope);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        MessageCodec codec = new MessageCodec(List.of(v1), System::currentTimeMillis);
        RaftMessage decoded = codec.decode(bytes);
        assertSameMessage(new VoteRequest("prod", "n1", "n2", 7, 42, 6), decoded);

        MessageDecodeException unknown = assertThrows(MessageDecodeException.class,
                () -> new MessageCodec().decode(bytes));
        assertEquals(MessageDecodeException.Category.UNKNOWN_SCHEMA, unknown.category(),
                "without the old schema registered the fingerprint is unknown");
    }
}
