package io.raftbus.examples.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The state machine's answer to a {@link KvCommand}, as returned by {@code RaftNode.submit}.
 *
 * @param outcome what happened
 * @param value depends on the outcome: the value now stored (OK after put/cas), the value read (OK after get), the
 *              value removed (OK after delete), the current value ({@code CAS_MISMATCH}, {@code null} if absent), or
 *              the reason ({@code INVALID_COMMAND}); {@code null} for {@code NOT_FOUND}
 */
public record KvResult(Outcome outcome, String value) {

    /** What a command did. */
    public enum Outcome {
        /** Done: the put/cas stored its value, the get found one, the delete removed one. */
        OK,
        /** A get or delete of an absent key. */
        NOT_FOUND,
        /** A cas whose expected value did not match; nothing changed. */
        CAS_MISMATCH,
        /** The command bytes were not a key-value command; nothing changed. */
        INVALID_COMMAND
    }

    public KvResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** An OK result carrying {@code value}. */
    public static KvResult ok(String value) {
        return new KvResult(Outcome.OK, value);
    }

    /** A NOT_FOUND result. */
    public static KvResult notFound() {
        return new KvResult(Outcome.NOT_FOUND, null);
    }

    /** Encodes this result: an outcome byte, then the value as a 4-byte length ({@code -1} for none) and UTF-8. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(outcome.ordinal());
            if (value == null) {
                out.writeInt(-1);
            } else {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a result written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the bytes are not a result of this format
     */
    public static KvResult decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int ordinal = in.readUnsignedByte();
            Outcome[] outcomes = Outcome.values();
            if (ordinal >= outcomes.length) {
                throw new IllegalArgumentException("unknown key-value outcome " + ordinal);
            }
            int length = in.readInt();
            String value = null;
            if (length != -1) {
                if (length < 0 || length != in.available()) {
                    throw new IllegalArgumentException("bad value length " + length + " in a key-value result");
                }
                value = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            return new KvResult(outcomes[ordinal], value);
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated key-value result", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
