package io.raftbus.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch completes its futures and runs its tasks in the order they were added, and one failing task stops none. */
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
}
