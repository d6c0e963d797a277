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
 * A key-value command as replicated through the Raft log. Every operation, reads included, is a command: a get
 * goes through the log, so it observes every write acknowledged before it (linearizable reads).
 *
 * <p>Wire format: a version byte, an operation byte, then the operation's strings, each as a 4-byte length
 * ({@code -1} for "none") followed by its UTF-8 bytes.
 */
public sealed interface KvCommand permits KvCommand.Put, KvCommand.Get, KvCommand.Delete, KvCommand.Cas {

    /** The format version written as the first byte. */
    byte FORMAT_VERSION = 1;

    /** The key the command operates on. */
    String key();

    /** Sets {@code key} to {@code value}. */
    record Put(String key, String value) implements KvCommand {
        public Put {
            requireKey(key);
            Objects.requireNonNull(value, "value");
        }
    }

    /** Reads {@code key}. */
    record Get(String key) implements KvCommand {
        public Get {
            requireKey(key);
        }
    }

    /** Removes {@code key}. */
    record Delete(String key) implements KvCommand {
        public Delete {
            requireKey(key);
        }
    }

    /**
     * Sets {@code key} to {@code newValue} only if its current value equals {@code expected}; a {@code null}
     * {@code expected} means "only if the key is absent".
     */
    record Cas(String key, String expected, String newValue) implements KvCommand {
        public Cas {
            requireKey(key);
            Objects.requireNonNull(newValue, "newValue");
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a key must be a non-empty string");
        }
    }

    /** Encodes this command for {@code RaftNode.submit}. */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            if (this instanceof Put put) {
                out.writeByte('P');
                writeString(out, put.key());
                writeString(out, put.value());
            } else if (this instanceof Get get) {
                out.writeByte('G');
                writeString(out, get.key());
            } else if (this instanceof Delete delete) {
                out.writeByte('D');
                writeString(out, delete.key());
            } else if (this instanceof Cas cas) {
                out.writeByte('C');
                writeString(out, cas.key());
                writeString(out, cas.expected());
                writeString(out, cas.newValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a command written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the bytes are not a command of this format
     */
    static KvCommand decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown key-value command format version " + version);
            }
            byte op = in.readByte();
            KvCommand command = switch (op) {
                case 'P' -> new Put(readString(in), readString(in));
                case 'G' -> new Get(readString(in));
                case 'D' -> new Delete(readString(in));
                case 'C' -> new Cas(readString(in), readString(in), readString(in));
                default -> throw new IllegalArgumentException("unknown key-value operation code " + op);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after a key-value command");
            }
            return command;
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated key-value command", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("key-value command with a missing string", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("bad string length " + length + " in a key-value command");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
