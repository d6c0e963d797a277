package io.raftbus.kafka;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Emulates a node running the code before envelope version 5: its codec knows only the version-4 schema (the frozen
 * src/test/avro/Envelope-v4.avsc), so it writes version 4 and refuses version-5 records as {@code unknown-schema},
 * as such a node does.
 */
final class Version4Node {

    /** Version 4's fingerprint, as such a node (or one writing version 4) puts it in every record. */
    static final long FINGERPRINT = 8879485010124587083L;

    private Version4Node() {
    }

    /** The envelope schema such a node reads and writes. */
    static Schema schema() {
        try (InputStream in = Objects.requireNonNull(Version4Node.class.getResourceAsStream("/Envelope-v4.avsc"),
                "src/test/avro/Envelope-v4.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The codec of such a node. */
    static MessageCodec codec() {
        return new MessageCodec(EnvelopeVersions.PREVIOUS, List.of(schema()), System::currentTimeMillis);
    }
}
