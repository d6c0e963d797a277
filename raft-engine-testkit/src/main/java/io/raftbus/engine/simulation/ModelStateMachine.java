package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The simulation's state machine: it keeps every applied entry's command (null for entries that are not commands) and
 * a running digest over them, {@code digest(i) = mix(digest(i - 1), i, command at i)}, so two nodes that applied the
 * same entries up to i hold the same digest at i, however they got there (applying, or restoring a snapshot). A
 * snapshot is its applied index, its digest and every command, serialized; restoring one replaces the whole state.
 * Not thread-safe.
 */
final class ModelStateMachine {

    private static final int SNAPSHOT_MAGIC = 0x534D4D31; // "SMM1"

    private List<byte[]> commands = new ArrayList<>();
    private long lastApplied;
    private long digest;

    /** Applies {@code entry} (the next index) and returns its command, or null for an entry that is no command. */
    byte[] apply(LogEntry entry) {
        if (entry.index() != lastApplied + 1) {
            throw new IllegalStateException("the model applied " + entry.index() + " after " + lastApplied);
        }
        byte[] command = entry.type() == EntryType.COMMAND ? entry.payload() : null;
        commands.add(command);
        lastApplied = entry.index();
        digest = next(digest, lastApplied, command);
        return command;
    }

    long lastApplied() {
        return lastApplied;
    }

    /** The digest of everything applied up to {@link #lastApplied()}. */
    long digest() {
        return digest;
    }

    /** The command applied at {@code index} (null for an entry that was no command). */
    byte[] commandAt(long index) {
        return commands.get((int) index - 1);
    }

    /** Every applied entry's command, in index order (index i at position i - 1). */
    List<byte[]> commands() {
        return Collections.unmodifiableList(commands);
    }

    /** Forgets everything, as a crashed in-memory state machine does. */
    void clear() {
        commands = new ArrayList<>();
        lastApplied = 0;
        digest = 0;
    }

    /** The state as of now, serialized (the commands are never modified, so copying the list is enough). */
    byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_MAGIC);
            out.writeLong(lastApplied);
            out.writeLong(digest);
            out.writeInt(commands.size());
            for (byte[] c : commands) {
                out.writeInt(c == null ? -1 : c.length);
                if (c != null) {
                    out.write(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces the state with a snapshot's, checking that it is one and that its digest is the digest of its commands.
     *
     * @throws IllegalStateException the bytes are not a consistent snapshot
     */
    void restore(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != SNAPSHOT_MAGIC) {
                throw new IllegalStateException("not a model snapshot");
            }
            long index = in.readLong();
            long storedDigest = in.readLong();
            int count = in.readInt();
            if (count != index) {
                throw new IllegalStateException("a model snapshot at index " + index + " holds " + count + " entries");
            }
            List<byte[]> restored = new ArrayList<>(count + 16);
            long d = 0;
            for (int i = 1; i <= count; i++) {
                int length = in.readInt();
                byte[] c = length < 0 ? null : in.readNBytes(length);
                if (c != null && c.length != length) {
                    throw new IllegalStateException("a model snapshot ends early");
                }
                restored.add(c);
                d = next(d, i, c);
            }
            if (d != storedDigest || in.read() != -1) {
                throw new IllegalStateException("a model snapshot at index " + index + " is inconsistent (digest or"
                        + " length)");
            }
            commands = restored;
            lastApplied = index;
            digest = storedDigest;
        } catch (IOException e) {
            throw new IllegalStateException("a model snapshot cannot be read: " + e, e);
        }
    }

    private static long next(long previous, long index, byte[] command) {
        long h = previous * 0x9E3779B97F4A7C15L + index;
        if (command == null) {
            h ^= 0x5555_5555_5555_5555L;
        } else {
            for (byte b : command) {
                h = (h ^ b) * 0x100000001B3L;
            }
            h ^= command.length;
        }
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h;
    }
}
