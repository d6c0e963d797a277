package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The event loop's futures of the proposals and membership changes the core has taken, by proposal id. A node draws
 * its ids consecutively and most are settled within a few thousand ids, so a future sits in a ring slot chosen by
 * the id's low bits ({@value #RING_SLOTS} slots): put and remove are one array access each, nothing moves, nothing is
 * allocated. An id whose slot is still held by an older one (that proposal still waiting after
 * {@value #RING_SLOTS} newer ones were drawn) goes to a {@link FutureTable} instead, looked into only while it holds
 * something. Not thread-safe (the loop's own).
 */
final class PendingFutures {

    static final int RING_SLOTS = 1 << 13;
    private static final int MASK = RING_SLOTS - 1;

    private final long[] ids = new long[RING_SLOTS];
    @SuppressWarnings("unchecked")
    private final CompletableFuture<byte[]>[] ring = (CompletableFuture<byte[]>[]) new CompletableFuture<?>[RING_SLOTS];
    private int inRing;
    private final FutureTable overflow = new FutureTable();

    /** Keeps {@code future} as the one of {@code proposalId} (replacing any kept for it). */
    void put(long proposalId, CompletableFuture<byte[]> future) {
        int i = (int) proposalId & MASK;
        if (ring[i] == null) {
            if (overflow.size() > 0) {
                overflow.remove(proposalId); // one future per id: an earlier one for it may have overflowed
            }
            ids[i] = proposalId;
            ring[i] = future;
            inRing++;
        } else if (ids[i] == proposalId) {
            ring[i] = future;
        } else {
            overflow.put(proposalId, future);
        }
    }

    /** Removes and returns the future of {@code proposalId}; null if none is kept. */
    CompletableFuture<byte[]> remove(long proposalId) {
        int i = (int) proposalId & MASK;
        CompletableFuture<byte[]> future = ring[i];
        if (future != null && ids[i] == proposalId) {
            ring[i] = null;
            inRing--;
            return future;
        }
        return overflow.size() > 0 ? overflow.remove(proposalId) : null;
    }

    /** Hands every kept future to {@code action} (in no particular order) and forgets them all. */
    void removeAll(Consumer<CompletableFuture<byte[]>> action) {
        for (int i = 0; i < RING_SLOTS; i++) {
            CompletableFuture<byte[]> future = ring[i];
            if (future != null) {
                ring[i] = null;
                action.accept(future);
            }
        }
        inRing = 0;
        overflow.removeAll(action); // and gives a burst's overflow table back
    }

    int size() {
        return inRing + overflow.size();
    }
}
