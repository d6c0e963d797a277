package io.raftbus.engine;

import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OutcomeCountingFuture} counts exactly one outcome when two threads complete it at the same moment. */
class OutcomeCountingFutureTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(60);
    private static final int FUTURES = 20_000;

    @Test
    void twoThreadsCompletingAtOnceCountOneOutcomeAndExactlyOneWins() throws Exception {
        AtomicInteger counted = new AtomicInteger();
        OutcomeCountingFuture[] futures = new OutcomeCountingFuture[FUTURES];
        for (int i = 0; i < FUTURES; i++) {
            futures[i] = new OutcomeCountingFuture(error -> {
                counted.incrementAndGet();
                takeYourTime(); // a counter that takes its time: widens the window between the check and completing
            });
        }
        CyclicBarrier together = new CyclicBarrier(2);
        AtomicInteger wins = new AtomicInteger();
        CompletableFuture<Void> succeeding = CompletableFuture.runAsync(() -> race(futures, together, wins, true));
        CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> race(futures, together, wins, false));
        CompletableFuture.allOf(succeeding, failing).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals(FUTURES, counted.get(), "one outcome counted per future");
        assertEquals(FUTURES, wins.get(), "one completion returned true per future");
        for (OutcomeCountingFuture future : futures) {
            assertTrue(future.isDone());
        }
    }

    /** Completes every future, meeting the other thread at a barrier every so often so that they collide often. */
    private static void race(OutcomeCountingFuture[] futures, CyclicBarrier together, AtomicInteger wins,
                             boolean succeed) {
        try {
            for (int i = 0; i < futures.length; i++) {
                if (i % 64 == 0) {
                    together.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                }
                boolean won = succeed ? futures[i].complete(new byte[0])
                        : futures[i].completeExceptionally(new NodeClosedException("closed"));
                if (won) {
                    wins.incrementAndGet();
                }
            }
        } catch (Exception e) {
            together.reset(); // the other thread fails at the barrier at once instead of waiting out the deadline
            throw new IllegalStateException(e);
        }
    }

    /**
     * A short spin, not {@code Thread.yield()}: a yield on a busy machine hands the core to every other runnable
     * thread, so 20,000 of them outlasted the deadline (60 s under a CPU hog on the same core); a spin costs the same
     * few microseconds however loaded the machine is, and a preemption during it only widens the window further.
     */
    private static void takeYourTime() {
        for (int i = 0; i < 200; i++) {
            Thread.onSpinWait();
        }
    }
}
