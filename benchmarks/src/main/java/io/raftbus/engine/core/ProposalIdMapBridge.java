package io.raftbus.engine.core;

/**
 * Benchmark-only access to the engine's package-private maps of proposal ids to positions (this class shares their
 * package, in the benchmarks jar): {@link IdPositions}, the ring indexed by id that {@link ProposalDeadlines} uses,
 * and {@link LongLongMap}, the hash table it used before (and {@link IdPositions} falls back to for far ids).
 */
public final class ProposalIdMapBridge {

    private final IdPositions byId;
    private final LongLongMap hashed;

    private ProposalIdMapBridge(boolean indexedById) {
        this.byId = indexedById ? new IdPositions() : null;
        this.hashed = indexedById ? null : new LongLongMap();
    }

    /** Over {@link IdPositions}. */
    public static ProposalIdMapBridge indexedById() {
        return new ProposalIdMapBridge(true);
    }

    /** Over {@link LongLongMap}. */
    public static ProposalIdMapBridge hashed() {
        return new ProposalIdMapBridge(false);
    }

    /** The position of {@code id}, or {@code absent}. */
    public long get(long id, long absent) {
        return byId != null ? byId.get(id, absent) : hashed.get(id, absent);
    }

    /** Maps {@code id} to {@code position}. */
    public void put(long id, long position) {
        if (byId != null) {
            byId.put(id, position);
        } else {
            hashed.put(id, position);
        }
    }

    /** Removes {@code id}; its position, or {@code absent}. */
    public long remove(long id, long absent) {
        return byId != null ? byId.remove(id, absent) : hashed.remove(id, absent);
    }
}
