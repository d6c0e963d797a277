package io.raftbus.kafka;

import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.kafka.avro.Envelope;
import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The envelope versions a node can write: the current one ({@value #CURRENT}, the generated {@link Envelope}) and
 * the previous one ({@value #PREVIOUS}), which a node keeps writing during a rolling upgrade until every member reads
 * the current one ({@link KafkaTransportConfig#ENVELOPE_WRITE_VERSION_CONFIG}). Knows which messages each can carry.
 */
final class EnvelopeVersions {

    /** The version of {@link Envelope#getClassSchema()}: adds InstallSnapshotRequest and InstallSnapshotResponse. */
    static final int CURRENT = 5;

    /** The version before: every message but the InstallSnapshot ones. */
    static final int PREVIOUS = 4;

    /** The previous envelope schema, fully resolved; the current one's union without its last two branches. */
    private static final Schema PREVIOUS_SCHEMA = load("Envelope-v4.avsc");

    private EnvelopeVersions() {
    }

    /**
     * The writer schema of {@code version}.
     *
     * @throws IllegalArgumentException for any version but {@value #PREVIOUS} and {@value #CURRENT}
     */
    static Schema schema(int version) {
        if (version == CURRENT) {
            return Envelope.getClassSchema();
        }
        if (version == PREVIOUS) {
            return PREVIOUS_SCHEMA;
        }
        throw new IllegalArgumentException("a node writes envelope version " + PREVIOUS + " or " + CURRENT + ", not "
                + version);
    }

    /** The first envelope version that carries {@code message}'s type. */
    static int introducing(RaftMessage message) {
        return message instanceof InstallSnapshotRequest || message instanceof InstallSnapshotResponse
                ? CURRENT : 1;
    }

    private static Schema load(String resource) {
        try (InputStream in = EnvelopeVersions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + EnvelopeVersions.class);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
