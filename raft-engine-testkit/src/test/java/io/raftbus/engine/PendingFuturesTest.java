package io.raftbus.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The loop's table of pending futures behaves as a map from proposal id to future, whatever the order of removals. */
class PendingFuturesTest {

    @Test
    void behavesAsAMapUnderRandomPutsAndRemovalsAcrossGrowth() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            PendingFutures table = new PendingFutures();
            Map<Long, CompletableFuture<byte[]>> model = new HashMap<>();
            long nextId = random.nextLong() >>> 2;
            List<Long> live = new ArrayList<>();
            for (int step = 0; step < 50_000; step++) {
                // mostly consecutive ids taken out of order; now and then one far away (a colliding slot)
                if (live.isEmpty() || random.nextInt(100) < 55) {
                    long id = random.nextInt(50) == 0 ? nextId + 1024L * random.nextInt(1, 8) : ++nextId;
                    CompletableFuture<byte[]> future = new CompletableFuture<>();
                    table.put(id, future);
                    if (model.put(id, future) == null) {
                        live.add(id);
                    }
                } else {
                    long id = random.nextInt(10) == 0 ? nextId + 1_000_000 : live.remove(random.nextInt(live.size()));
                    assertSame(model.remove(id), table.remove(id), "seed " + seed + " step " + step + " id " + id);
                }
                assertEquals(model.size(), table.size(), "seed " + seed + " step " + step);
            }
            for (long id : live) {
                assertSame(model.get(id), table.remove(id), "seed " + seed + " id " + id);
            }
            assertEquals(0, table.size());
        }
    }

    @Test
    void aProposalWaitingLongerThanTheRingSpansIsStillFoundAndReplaced() {
        PendingFutures table = new PendingFutures();
        long first = 7L * PendingFutures.RING_SLOTS + 5;
        CompletableFuture<byte[]> lingering = new CompletableFuture<>();
        table.put(first, lingering);
        List<CompletableFuture<byte[]>> later = new ArrayList<>();
        for (long id = first + 1; id <= first + 3L * PendingFutures.RING_SLOTS; id++) {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            table.put(id, future); // slot of first + RING_SLOTS (and + 2x, 3x) still held by first: overflows
            later.add(future);
        }
        assertEquals(1 + later.size(), table.size());
        assertSame(lingering, table.remove(first));
        CompletableFuture<byte[]> replacement = new CompletableFuture<>();
        table.put(first + PendingFutures.RING_SLOTS, replacement); // now into the freed slot, the overflowed one gone
        assertEquals(later.size(), table.size());
        assertSame(replacement, table.remove(first + PendingFutures.RING_SLOTS));
        assertNull(table.remove(first + PendingFutures.RING_SLOTS));
        for (int k = 0; k < later.size(); k++) {
            if (k != PendingFutures.RING_SLOTS - 1) {
                assertSame(later.get(k), table.remove(first + 1 + k), "id " + (first + 1 + k));
            }
        }
        assertEquals(0, table.size());
    }

    @Test
    void removeAllHandsOverEveryFutureOnceAndEmptiesTheTable() {
        PendingFutures table = new PendingFutures();
        Map<CompletableFuture<byte[]>, Boolean> put = new IdentityHashMap<>();
        for (long id = Long.MAX_VALUE - 3000; id < Long.MAX_VALUE - 500; id++) {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            table.put(id, future);
            put.put(future, true);
        }
        Map<CompletableFuture<byte[]>, Boolean> handed = new IdentityHashMap<>();
        table.removeAll(future -> assertNull(handed.put(future, true)));
        assertEquals(put.keySet(), handed.keySet());
        assertEquals(0, table.size());
        assertNull(table.remove(Long.MAX_VALUE - 1000));
    }
}
