package io.raftbus.it.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvOutput;

/**
 * Byte encoding of the test key-value commands and results: a kind byte, then nullable UTF strings. Kind
 * {@code 'N'} is an opaque command (a unique tag) that only gets recorded, for load tests.
 */
public final class KvCodec {

    static final byte OPAQUE = 'N';

    private KvCodec() {
    }

    /** An opaque command carrying {@code tag}; the state machine records it and answers with the tag. */
    public static byte[] opaque(String tag) {
        return write(out -> {
            out.writeByte(OPAQUE);
            writeNullable(out, tag);
        });
    }

    public static byte[] encode(KvInput input) {
        return write(out -> {
            out.writeByte(input.kind().name().charAt(0));
            writeNullable(out, input.key());
            writeNullable(out, input.value());
            writeNullable(out, input.expected());
        });
    }

    /** Decoded command: a key-value operation, or an opaque tag. */
    public record Command(KvInput kv, String opaqueTag) {
    }

    public static Command decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            if (kind == OPAQUE) {
                return new Command(null, readNullable(in));
            }
            String key = readNullable(in);
            String value = readNullable(in);
            String expected = readNullable(in);
            KvInput.Kind k = switch (kind) {
                case 'P' -> KvInput.Kind.PUT;
                case 'G' -> KvInput.Kind.GET;
                case 'C' -> KvInput.Kind.CAS;
                case 'D' -> KvInput.Kind.DEL;
                default -> throw new IllegalArgumentException("Unknown command kind " + kind);
            };
            return new Command(new KvInput(k, key, value, expected), null);
        } catch (IOException e) {
            throw new UncheckedIOException("Malformed test command", e);
        }
    }

    public static byte[] encode(KvOutput output) {
        return write(out -> {
            out.writeBoolean(output.ok());
            writeNullable(out, output.value());
        });
    }

    public static KvOutput decodeOutput(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            boolean ok = in.readBoolean();
            return new KvOutput(ok, readNullable(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Malformed test result", e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
