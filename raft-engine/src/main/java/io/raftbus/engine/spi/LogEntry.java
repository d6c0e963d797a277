package io.raftbus.engine.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the replicated log. Immutable by convention: the payload array must not be modified after creation.
 *
 * @param index position in the log, from 1
 * @param term the leader term in which the entry was created
 * @param type what the entry holds
 * @param payload command bytes (empty for {@link EntryType#NOOP})
 */
public record LogEntry(long index, long term, EntryType type, byte[] payload) {

    /** Fixed per-entry overhead counted by {@link #sizeBytes()} (index, term, type, length). */
    public static final int OVERHEAD_BYTES = 24;

    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("log index starts at 1, got " + index);
        }
        if (term < 1) {
            throw new IllegalArgumentException("entry term starts at 1, got " + term);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /** Approximate encoded size, used to bound AppendEntries batches by bytes. */
    public long sizeBytes() {
        return payload.length + OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && e.index == index && e.term == term && e.type == type
                && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, type, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "LogEntry[" + index + "@" + term + " " + type + " " + payload.length + "B]";
    }
}
