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
}
