package io.raftbus.engine;

import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlockedCallerFuture} on real threads, the event loop's side played by the test: a caller blocked in
 * {@code get}/{@code join} is handed the outcome and completes the future on its own thread, so dependents never run
 * on the handing thread; interruption and timeouts behave as {@link CompletableFuture}'s; the outcome is counted once.
 */
class BlockedCallerFutureTest {

    private static final byte[] RESULT = {42};

    private final List<Throwable> counted = new CopyOnWriteArrayList<>();
    private final BlockedCallerFuture future = new BlockedCallerFuture(counted::add);
    private final CallerThreads callers = new CallerThreads();

    @AfterEach
    void stopCallers() throws InterruptedException {
        future.cancel(false); // releases a caller still waiting if the test failed
        callers.joinAll();
    }

    @Test
    void aJoinedCallerIsHandedTheOutcomeAndCompletesTheFutureOnItsOwnThread() {
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        future.thenRun(() -> ranOn.put("before", Thread.currentThread().getName()));
        CompletableFuture.allOf(future).thenRun(() -> ranOn.put("allOf", Thread.currentThread().getName()));
        CompletableFuture<byte[]> copy = future.copy();
        copy.thenRun(() -> ranOn.put("copy", Thread.currentThread().getName()));
        AtomicReference<byte[]> joined = new AtomicReference<>();
        AtomicReference<Boolean> doneOnReturn = new AtomicReference<>();
        Thread caller = callers.start("caller", () -> {
            joined.set(future.join());
            doneOnReturn.set(future.isDone());
        });
        Await.until("the caller to block on the future", future::hasWaiter);
        future.thenRun(() -> ranOn.put("during", Thread.currentThread().getName()));

        assertTrue(future.handToWaiter(RESULT), "a blocked caller takes the outcome");

        Await.until("the caller to return", () -> !caller.isAlive());
        assertArrayEquals(RESULT, joined.get());
        assertTrue(doneOnReturn.get(), "done when join returns");
        future.thenRun(() -> ranOn.put("after", Thread.currentThread().getName()));
        assertEquals(Map.of("before", "caller", "allOf", "caller", "copy", "caller", "during", "caller",
                "after", Thread.currentThread().getName()), ranOn, "no dependent ran on the handing (loop) thread");
        assertEquals(1, counted.size());
        assertNull(counted.get(0), "a success");
    }

    @Test
    void nothingIsHandedWithoutABlockedCaller() {
        assertFalse(future.hasWaiter());
        assertFalse(future.handToWaiter(RESULT));
        assertFalse(future.isDone(), "the outcome must go another way (the callback thread)");
    }

    @Test
    void aFailureIsHandedAsTheFuturesFailure() {
        AtomicReference<Throwable> failure = callers.joinFailure(future);
        Await.until("the caller to block on the future", future::hasWaiter);
        CommandOutcomeUnknownException unknown = new CommandOutcomeUnknownException("no outcome within 10000 ms");

        assertTrue(future.handToWaiter(unknown));

        assertSame(unknown, Await.value("the caller's failure", failure::get));
        assertSame(unknown, counted.get(0));
        assertEquals(1, counted.size());
    }

    @Test
    void anInterruptedGetThrowsAndWithdrawsLeavingTheOutcomeToTheCallbackThread() {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = callers.start("caller", () -> {
            try {
                outcome.set(future.get());
            } catch (InterruptedException e) {
                outcome.set(Thread.currentThread().isInterrupted() ? "flag still set" : e);
            } catch (ExecutionException e) {
                outcome.set(e);
            }
        });
        Await.until("the caller to block on the future", future::hasWaiter);

        caller.interrupt();

        assertInstanceOf(InterruptedException.class, Await.value("the caller's outcome", outcome::get));
        Await.until("the caller to withdraw", () -> !future.hasWaiter());
        assertFalse(future.handToWaiter(RESULT), "nobody waits any more");
        assertTrue(future.complete(RESULT), "the callback thread's completion is the first");
        assertEquals(1, counted.size());
    }

    @Test
    void anInterruptedJoinKeepsWaitingAndReturnsWithTheInterruptSet() {
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread caller = callers.start("caller", () -> {
            byte[] value = future.join();
            outcome.set(value[0] + (Thread.currentThread().isInterrupted() ? " interrupted" : " not interrupted"));
        });
        Await.until("the caller to block on the future", future::hasWaiter);

        caller.interrupt();
        assertTrue(future.handToWaiter(RESULT), "still waiting after the interrupt");

        assertEquals("42 interrupted", Await.value("the caller's outcome", outcome::get));
    }

    @Test
    void aGetWithATimeoutThrowsTimeoutExceptionAndWithdraws() throws Exception {
        assertThrows(TimeoutException.class, () -> future.get(20, TimeUnit.MILLISECONDS));
        assertFalse(future.hasWaiter());
        assertFalse(future.handToWaiter(RESULT));
        assertThrows(TimeoutException.class, () -> future.get(0, TimeUnit.MILLISECONDS));

        AtomicReference<byte[]> got = new AtomicReference<>();
        callers.start("caller", () -> {
            try {
                got.set(future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new AssertionError(e);
            }
        });
        Await.until("the caller to block on the future", future::hasWaiter);
        assertTrue(future.handToWaiter(RESULT));
        assertArrayEquals(RESULT, Await.value("the timed caller's result", got::get));
        assertArrayEquals(RESULT, future.get(0, TimeUnit.MILLISECONDS), "done: no wait");
    }

    @Test
    void anInterruptBeforeTheCallThrowsAsCompletableFutureDoes() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, future::get);
        assertFalse(Thread.currentThread().isInterrupted(), "the flag is cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> future.get(1, TimeUnit.SECONDS));
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(future.hasWaiter());
    }

    @Test
    void anotherThreadsCompletionWakesTheBlockedCaller() {
        AtomicReference<byte[]> joined = new AtomicReference<>();
        callers.start("caller", () -> joined.set(future.join()));
        Await.until("the caller to block on the future", future::hasWaiter);

        assertTrue(future.complete(RESULT)); // the callback thread, as when the loop found no waiter

        assertArrayEquals(RESULT, Await.value("the caller's result", joined::get));
        assertEquals(1, counted.size());
    }

    @Test
    void aCancelOrATimeoutWakesTheBlockedCaller() {
        AtomicReference<Throwable> failure = callers.joinFailure(future);
        Await.until("the caller to block on the future", future::hasWaiter);

        future.cancel(true);

        assertInstanceOf(java.util.concurrent.CancellationException.class,
                Await.value("the caller's failure", failure::get));
        BlockedCallerFuture timed = new BlockedCallerFuture(counted::add);
        timed.orTimeout(10, TimeUnit.MILLISECONDS);
        Throwable timedOut = assertThrows(RuntimeException.class, timed::join).getCause();
        assertInstanceOf(TimeoutException.class, timedOut);
    }

    @Test
    void manyWaitersOneHandedOutcomeCountedOnce() {
        int waiting = 6;
        Map<String, byte[]> results = new ConcurrentHashMap<>();
        for (int i = 0; i < waiting; i++) {
            String name = "caller-" + i;
            callers.start(name, () -> results.put(name, future.join()));
        }
        Await.until("a caller to block on the future", future::hasWaiter);

        assertTrue(future.handToWaiter(RESULT));

        Await.until("every caller to return", () -> results.size() == waiting);
        results.values().forEach(r -> assertArrayEquals(RESULT, r));
        assertEquals(1, counted.size(), "counted once");
        assertFalse(future.complete(new byte[0]), "the callback thread's late completion loses");
        assertEquals(1, counted.size());
    }

    @Test
    void completeAsyncCompletesThroughTheCountingPath() {
        future.completeAsync(() -> RESULT, Runnable::run);
        assertArrayEquals(RESULT, future.join());
        assertEquals(1, counted.size());
        BlockedCallerFuture failing = new BlockedCallerFuture(counted::add);
        failing.completeAsync(() -> {
            throw new IllegalStateException("supplier");
        }, Runnable::run);
        Throwable thrown = assertThrows(RuntimeException.class, failing::join);
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
    }

    @Test
    void aForkJoinWorkerWaitsThePlainWay() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            CountDownLatch running = new CountDownLatch(1);
            ForkJoinTask<byte[]> task = pool.submit(() -> {
                running.countDown();
                return future.join();
            });
            assertTrue(running.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));

            assertFalse(future.handToWaiter(RESULT), "a pool's worker never registers: its pool must know it blocks");
            assertTrue(future.complete(RESULT));

            assertArrayEquals(RESULT, task.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
