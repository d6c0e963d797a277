package io.raftbus.it.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raftbus.engine.spi.StateMachine;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvOutput;

/**
 * In-memory key-value state machine for the scenarios (rebuilt from the log on restart). Besides the map it keeps
 * what the assertions need: every applied (index, command) in order, a running digest per applied index, and the
 * set of opaque tags seen. Applied by the node's event loop, read by test threads: all methods synchronized.
 */
public final class KvStateMachine implements StateMachine {

    private final Map<String, String> map = new HashMap<>();
    private final List<Long> appliedIndexes = new ArrayList<>();
    private final Map<Long, Long> digestByIndex = new HashMap<>();
    private final Set<String> opaqueTags = new HashSet<>();
    private long digest = 17;
    private long lastIndex;
    private long unparseable;
    private long duplicates;

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

    /** How many commands were applied. */
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
