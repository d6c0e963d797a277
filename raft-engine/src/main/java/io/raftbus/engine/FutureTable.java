package io.raftbus.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Futures by proposal id, for the ids {@link PendingFutures}' ring cannot hold: an open-addressing table of primitive {@code long} keys (linear probing, deletion by shifting back), so a command costs
 * no boxed key and no map entry. Ids are scattered over the slots by a multiplicative (Fibonacci) hash: a node's ids
 * are consecutive, and in their own slots they would form one run that every deletion scans to its end. The
 * table grows to hold twice the most futures pending at once and does not shrink. Not thread-safe (the loop's own).
 */
final class FutureTable {

    private long[] keys;
    private CompletableFuture<byte[]>[] futures;
    private int mask;
    private int shift;
    private int size;

    FutureTable() {
        allocate(1024);
    }

    /** Keeps {@code future} as the one of {@code proposalId} (replacing any kept for it). */
    void put(long proposalId, CompletableFuture<byte[]> future) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = slot(proposalId);
        while (futures[i] != null) {
            if (keys[i] == proposalId) {
                futures[i] = future;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = proposalId;
        futures[i] = future;
        size++;
    }

    /** Removes and returns the future of {@code proposalId}; null if none is kept. */
    CompletableFuture<byte[]> remove(long proposalId) {
        for (int i = slot(proposalId); futures[i] != null; i = (i + 1) & mask) {
            if (keys[i] == proposalId) {
                CompletableFuture<byte[]> future = futures[i];
                closeGap(i);
                size--;
                return future;
            }
        }
        return null;
    }

    /** Hands every kept future to {@code action} (in no particular order) and forgets them all. */
    void removeAll(Consumer<CompletableFuture<byte[]>> action) {
        CompletableFuture<byte[]>[] all = futures;
        allocate(1024);
        for (CompletableFuture<byte[]> future : all) {
            if (future != null) {
                action.accept(future);
            }
        }
    }

    int size() {
        return size;
    }

    /** Empties slot {@code hole}, moving back each later entry of the run whose probe path passes over the hole. */
    private void closeGap(int hole) {
        for (int i = (hole + 1) & mask; futures[i] != null; i = (i + 1) & mask) {
            int home = slot(keys[i]);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                futures[hole] = futures[i];
                hole = i;
            }
        }
        futures[hole] = null;
    }

    private int slot(long proposalId) {
        return (int) ((proposalId * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void grow() {
        long[] oldKeys = keys;
        CompletableFuture<byte[]>[] oldFutures = futures;
        allocate(keys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldFutures[i] != null) {
                put(oldKeys[i], oldFutures[i]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void allocate(int capacity) {
        keys = new long[capacity];
        futures = (CompletableFuture<byte[]>[]) new CompletableFuture<?>[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
    }
}
