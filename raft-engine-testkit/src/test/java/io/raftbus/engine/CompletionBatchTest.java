package io.raftbus.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch completes its futures and runs its tasks in the order they were added, and one failing task stops none;
 * a batch made for reuse comes back empty once run, and only then.
 */
class CompletionBatchTest {

    @Test
    void runsEverythingInOrderThroughGrowthAndPastAThrowingTask() {
        CompletionBatch batch = new CompletionBatch("n1", 1);
        List<String> order = new ArrayList<>();
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        RaftException cause = new RaftException("refused");
        for (int i = 0; i < 40; i++) {
            int n = i;
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            future.whenComplete((r, e) -> order.add("future " + n));
            futures.add(future);
            if (i % 3 == 0) {
                batch.fail(future, cause);
            } else {
                batch.complete(future, new byte[] {(byte) i});
            }
            batch.add(() -> order.add("task " + n));
            if (i == 7) {
                batch.add(() -> {
                    throw new IllegalStateException("a callback's bug");
                });
            }
        }
        assertTrue(futures.stream().noneMatch(CompletableFuture::isDone), "nothing runs before the batch does");

        batch.run();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("future " + i);
            expected.add("task " + i);
        }
        assertEquals(expected, order);
        for (int i = 0; i < 40; i++) {
            CompletableFuture<byte[]> future = futures.get(i);
            if (i % 3 == 0) {
                assertSame(cause, future.handle((r, e) -> e).join());
            } else {
                assertArrayEquals(new byte[] {(byte) i}, future.join());
            }
        }
    }

    @Test
    void aRunBatchIsHandedBackEmptyAndServesAgain() {
        AtomicReference<CompletionBatch> spare = new AtomicReference<>();
        CompletionBatch first = new CompletionBatch("n1", 2, spare);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            first.add(() -> order.add("first " + n));
        }

        CompletionBatch second = CompletionBatch.next("n1", first, spare);
        assertNotSame(first, second, "a batch not yet run is not reused");
        assertNull(spare.get());
        first.run();
        assertSame(first, spare.get(), "once run, the batch is the spare");
        assertTrue(first.isEmpty());

        second.add(() -> order.add("second"));
        CompletionBatch third = CompletionBatch.next("n1", second, spare);
        assertSame(first, third);
        assertNull(spare.get(), "a spare serves once");
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        third.complete(future, new byte[] {7});
        third.add(() -> order.add("third"));
        second.run();
        third.run();

        assertEquals(List.of("first 0", "first 1", "first 2", "first 3", "first 4", "second", "third"), order);
        assertArrayEquals(new byte[] {7}, future.join());
        assertTrue(third.isEmpty(), "run again, handed back again");
    }

    @Test
    void aBatchMadeWithoutASpareSlotIsNeverReused() {
        CompletionBatch batch = new CompletionBatch("n1", 4);
        batch.add(() -> { });
        batch.run();
        assertEquals(1, batch.size(), "kept as it was");
    }

    @Test
    void batchesRunBackToBackAreAllKeptUpToTheBound() {
        AtomicReference<CompletionBatch> spare = new AtomicReference<>();
        List<CompletionBatch> handedOver = new ArrayList<>();
        CompletionBatch filling = new CompletionBatch("n1", 2, spare);
        for (int i = 0; i < CompletionBatch.MAX_SPARES + 2; i++) { // the callback thread runs none of them meanwhile
            filling.add(() -> { });
            CompletionBatch next = CompletionBatch.next("n1", filling, spare);
            handedOver.add(filling);
            filling = next;
        }
        handedOver.forEach(CompletionBatch::run); // then all, back to back

        List<CompletionBatch> reused = new ArrayList<>();
        for (int i = 0; i < CompletionBatch.MAX_SPARES; i++) {
            CompletionBatch next = CompletionBatch.next("n1", filling, spare);
            assertTrue(handedOver.contains(next), "spare " + i + " is one of the batches run");
            assertTrue(next.isEmpty());
            assertTrue(reused.stream().noneMatch(r -> r == next), "each spare serves once");
            reused.add(next);
        }
        assertNull(spare.get(), "no more than " + CompletionBatch.MAX_SPARES + " kept");
        CompletionBatch made = CompletionBatch.next("n1", filling, spare);
        assertTrue(handedOver.stream().noneMatch(b -> b == made), "with no spare left, a new batch");
    }

    @Test
    void aNewBatchStartsWithTheCapacityOfTheOneHandedOver() {
        AtomicReference<CompletionBatch> spare = new AtomicReference<>();
        CompletionBatch first = new CompletionBatch("n1", 4, spare);
        for (int i = 0; i < 100; i++) { // grows to 128
            first.add(() -> { });
        }
        first.run(); // empty again, capacity kept, and the spare
        CompletionBatch second = CompletionBatch.next("n1", new CompletionBatch("n1", 4, spare), spare);
        assertSame(first, second);
        CompletionBatch third = CompletionBatch.next("n1", second, spare);
        assertNotSame(second, third);
        for (int i = 0; i < 128; i++) {
            third.add(() -> { });
        }
        assertEquals(128, third.capacity(), "made as large as the empty batch handed over: no regrowth");
    }
}
