package io.raftbus.examples.kv;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory key-value map driven by committed {@link KvCommand}s. It keeps no durable state
 * ({@link #lastAppliedIndex()} stays 0): a restarted node rebuilds it from its latest snapshot and the log after it
 * (or the whole log, without snapshots).
 *
 * <p>The map is a {@link PersistentMap}: a snapshot is captured in O(1) on the event loop (the current version) and
 * streamed by the snapshot thread while new commands apply to newer versions. Snapshot format: a format version,
 * the entry count, then each key and value (length-prefixed UTF-8) in key order.
 *
 * <p>The node applies from one thread; {@link #snapshot()} and {@link #appliedIndex()} may be read from any thread.
 */
public final class KvStateMachine implements StateMachine {

    private static final int SNAPSHOT_FORMAT = 1;

    private volatile PersistentMap entries = PersistentMap.EMPTY;
    private volatile long appliedIndex;

    @Override
    public byte[] apply(long index, byte[] command) {
        KvResult result;
        try {
            result = apply(KvCommand.decode(command));
        } catch (IllegalArgumentException e) {
            // A foreign or corrupt entry must not stop the node: every replica answers it the same way.
            result = new KvResult(KvResult.Outcome.INVALID_COMMAND, e.getMessage());
        }
        appliedIndex = index;
        return result.encode();
    }

    private KvResult apply(KvCommand command) {
        if (command instanceof KvCommand.Put put) {
            entries = entries.put(put.key(), put.value());
            return KvResult.ok(put.value());
        }
        if (command instanceof KvCommand.Get get) {
            String value = entries.get(get.key());
            return value == null ? KvResult.notFound() : KvResult.ok(value);
        }
        if (command instanceof KvCommand.Delete delete) {
            String removed = entries.get(delete.key());
            entries = entries.remove(delete.key());
            return removed == null ? KvResult.notFound() : KvResult.ok(removed);
        }
        KvCommand.Cas cas = (KvCommand.Cas) command;
        String current = entries.get(cas.key());
        if (!Objects.equals(current, cas.expected())) {
            return new KvResult(KvResult.Outcome.CAS_MISMATCH, current);
        }
        entries = entries.put(cas.key(), cas.newValue());
        return KvResult.ok(cas.newValue());
    }

    /** A {@code get} as a linearizable read (RaftNode.read): answered from the map, nothing changes. */
    @Override
    public byte[] query(byte[] query) {
        KvCommand command = KvCommand.decode(query);
        if (!(command instanceof KvCommand.Get)) {
            throw new IllegalArgumentException("only get is a read-only query, not " + command);
        }
        return apply(command).encode();
    }

    /** The current version of the map (O(1)); the snapshot thread writes it out. */
    @Override
    public StateSnapshot captureSnapshot() {
        PersistentMap version = entries;
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(SNAPSHOT_FORMAT);
            data.writeInt(version.size());
            try {
                version.forEach((key, value) -> {
                    try {
                        writeString(data, key);
                        writeString(data, value);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            data.flush();
        };
    }

    @Override
    public void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = data.readInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new IOException("snapshot " + snapshot + " has format " + format + "; this build reads "
                    + SNAPSHOT_FORMAT);
        }
        int count = data.readInt();
        if (count < 0) {
            throw new IOException("snapshot " + snapshot + " has a negative entry count");
        }
        PersistentMap restored = PersistentMap.EMPTY;
        for (int i = 0; i < count; i++) {
            restored = restored.put(readString(data), readString(data));
        }
        if (data.read() != -1) {
            throw new IOException("snapshot " + snapshot + " has bytes after its last entry");
        }
        entries = restored;
        appliedIndex = snapshot.index();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative string length in a snapshot");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("a snapshot ends inside a string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A copy of the current contents, in key order. */
    public Map<String, String> snapshot() {
        Map<String, String> copy = new LinkedHashMap<>();
        entries.forEach(copy::put);
        return copy;
    }

    /** The index of the last command applied, or of the snapshot restored (0 before the first). */
    public long appliedIndex() {
        return appliedIndex;
    }
}
