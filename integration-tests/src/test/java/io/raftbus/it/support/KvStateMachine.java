package io.raftbus.it.support;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvOutput;

/**
 * In-memory key-value state machine for the scenarios, rebuilt on restart from the node's latest snapshot and the
 * log after it. Besides the map it keeps what the assertions need: the indexes applied since it was created or last
 * restored, a running digest per applied index, and the set of opaque tags seen. Applied by the node's event loop,
 * read by test threads: all methods synchronized.
 *
 * <p>Snapshots: {@link #captureSnapshot()} copies the map and the tag set on the event loop (references only, the
 * strings are immutable: fine for the few thousand keys of a test) and the snapshot thread streams the copy. A
 * snapshot holds the map, the tags, the last applied index and the running digest there, so digests after a restore
 * still compare with those of nodes that applied every entry; {@link #digestAt} is known only from the restored
 * index on.
 */
public final class KvStateMachine implements StateMachine {

    /** First bytes of a snapshot of this state machine ("KVS1"). */
    private static final int SNAPSHOT_MAGIC = 0x4B565331;

    private final Map<String, String> map = new HashMap<>();
    private final List<Long> appliedIndexes = new ArrayList<>();
    private final Map<Long, Long> digestByIndex = new HashMap<>();
    private final Set<String> opaqueTags = new HashSet<>();
    private long digest = 17;
    private long lastIndex;
    private long unparseable;
    private long duplicates;
    private SnapshotInfo lastRestore;
    private int restores;

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        if (index <= lastIndex) {
            throw new IllegalStateException("apply(" + index + ") after " + lastIndex + ": not in increasing order");
        }
        lastIndex = index;
        digest = digest * 1_000_003L + index * 31 + java.util.Arrays.hashCode(command);
        appliedIndexes.add(index);
        digestByIndex.put(index, digest);
        KvCodec.Command decoded;
        try {
            decoded = KvCodec.decode(command);
        } catch (RuntimeException e) {
            unparseable++;
            return new byte[0];
        }
        if (decoded.opaqueTag() != null) {
            if (!opaqueTags.add(decoded.opaqueTag())) {
                duplicates++;
            }
            return decoded.opaqueTag().getBytes(StandardCharsets.UTF_8);
        }
        return KvCodec.encode(execute(decoded.kv()));
    }

    private KvOutput execute(KvInput in) {
        return in.applyTo(map);
    }

    /** A read: only a GET, answered from the map as it is (nothing changes). */
    @Override
    public synchronized byte[] query(byte[] query) {
        KvInput in = KvCodec.decode(query).kv();
        if (in == null || in.kind() != KvInput.Kind.GET) {
            throw new IllegalArgumentException("only a GET can be a query, not " + in);
        }
        return KvCodec.encode(execute(in));
    }

    /** The state as of the last applied command: copies made here, written later on the snapshot thread. */
    @Override
    public synchronized StateSnapshot captureSnapshot() {
        Map<String, String> mapCopy = new HashMap<>(map);
        List<String> tagsCopy = new ArrayList<>(opaqueTags);
        long capturedIndex = lastIndex;
        long capturedDigest = digest;
        long capturedUnparseable = unparseable;
        long capturedDuplicates = duplicates;
        return out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
            data.writeInt(SNAPSHOT_MAGIC);
            data.writeLong(capturedIndex);
            data.writeLong(capturedDigest);
            data.writeLong(capturedUnparseable);
            data.writeLong(capturedDuplicates);
            data.writeInt(mapCopy.size());
            for (Map.Entry<String, String> e : mapCopy.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeUTF(e.getValue());
            }
            data.writeInt(tagsCopy.size());
            for (String tag : tagsCopy) {
                data.writeUTF(tag);
            }
            data.flush();
        };
    }

    /** Replaces the whole state with the snapshot's; the applied-index record starts over from it. */
    @Override
    public synchronized void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
        int magic = data.readInt();
        if (magic != SNAPSHOT_MAGIC) {
            throw new IOException("not a KvStateMachine snapshot (magic " + Integer.toHexString(magic) + ")");
        }
        long index = data.readLong();
        if (index > snapshot.index()) {
            throw new IOException("snapshot at index " + snapshot.index() + " holds commands up to " + index);
        }
        long restoredDigest = data.readLong();
        long restoredUnparseable = data.readLong();
        long restoredDuplicates = data.readLong();
        Map<String, String> restoredMap = new HashMap<>();
        for (int n = data.readInt(); n > 0; n--) {
            restoredMap.put(data.readUTF(), data.readUTF());
        }
        Set<String> restoredTags = new HashSet<>();
        for (int n = data.readInt(); n > 0; n--) {
            restoredTags.add(data.readUTF());
        }
        if (data.read() != -1) {
            // reading to the end also lets the store's stream check the checksum
            throw new IOException("trailing bytes after the KvStateMachine snapshot at index " + snapshot.index());
        }
        map.clear();
        map.putAll(restoredMap);
        opaqueTags.clear();
        opaqueTags.addAll(restoredTags);
        appliedIndexes.clear();
        digestByIndex.clear();
        lastIndex = index;
        digest = restoredDigest;
        digestByIndex.put(index, digest);
        unparseable = restoredUnparseable;
        duplicates = restoredDuplicates;
        lastRestore = snapshot;
        restores++;
    }

    /** Index of the snapshot this machine was last restored from (0: never restored). */
    public synchronized long restoredFrom() {
        return lastRestore == null ? 0 : lastRestore.index();
    }

    /** The snapshot this machine was last restored from, or null. */
    public synchronized SnapshotInfo lastRestore() {
        return lastRestore;
    }

    /** How many snapshots this machine restored (at start and from a leader). */
    public synchronized int restores() {
        return restores;
    }

    /** Bytes of keys and values in the map (UTF-16 chars counted as one byte: the tests use ASCII). */
    public synchronized long stateBytes() {
        long bytes = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            bytes += e.getKey().length() + e.getValue().length();
        }
        return bytes;
    }

    /** Commands applied that were not test commands (ignored). */
    public synchronized long unparseable() {
        return unparseable;
    }

    /** Opaque commands applied more than once (a tag seen again). */
    public synchronized long duplicates() {
        return duplicates;
    }

    /** Highest index applied so far. */
    public synchronized long lastApplied() {
        return lastIndex;
    }

    /** How many commands were applied since this machine was created or last restored. */
    public synchronized int appliedCount() {
        return appliedIndexes.size();
    }

    /** The running digest after applying {@code index}, or null if this machine did not apply exactly that index. */
    public synchronized Long digestAt(long index) {
        return digestByIndex.get(index);
    }

    /** Whether an opaque command with {@code tag} was applied. */
    public synchronized boolean hasTag(String tag) {
        return opaqueTags.contains(tag);
    }

    /** The opaque tags among {@code tags} that were NOT applied. */
    public synchronized Set<String> missingTags(Set<String> tags) {
        Set<String> missing = new HashSet<>(tags);
        missing.removeAll(opaqueTags);
        return missing;
    }

    /** A copy of the key-value map. */
    public synchronized Map<String, String> snapshot() {
        return Map.copyOf(map);
    }
}
