package io.raftbus.examples.kv;

import io.raftbus.engine.spi.StateMachine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory key-value map driven by committed {@link KvCommand}s. It keeps no durable state
 * ({@link #lastAppliedIndex()} stays 0), so a restarted node rebuilds it by re-applying its log.
 *
 * <p>The node applies from one thread; {@link #snapshot()} and {@link #appliedIndex()} may be read from any thread.
 */
public final class KvStateMachine implements StateMachine {

    private final Map<String, String> entries = new ConcurrentHashMap<>();
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
            entries.put(put.key(), put.value());
            return KvResult.ok(put.value());
        }
        if (command instanceof KvCommand.Get get) {
            String value = entries.get(get.key());
            return value == null ? KvResult.notFound() : KvResult.ok(value);
        }
        if (command instanceof KvCommand.Delete delete) {
            String removed = entries.remove(delete.key());
            return removed == null ? KvResult.notFound() : KvResult.ok(removed);
        }
        KvCommand.Cas cas = (KvCommand.Cas) command;
        String current = entries.get(cas.key());
        if (!Objects.equals(current, cas.expected())) {
            return new KvResult(KvResult.Outcome.CAS_MISMATCH, current);
        }
        entries.put(cas.key(), cas.newValue());
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

    /** A copy of the current contents. */
    public Map<String, String> snapshot() {
        return Map.copyOf(entries);
    }

    /** The index of the last command applied (0 before the first). */
    public long appliedIndex() {
        return appliedIndex;
    }
}
