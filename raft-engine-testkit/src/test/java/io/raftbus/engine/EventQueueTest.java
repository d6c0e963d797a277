package io.raftbus.engine;

import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's inbox: bounded submits, a parked loop woken by any producer, a timed wait that ends, interrupts heard. */
class EventQueueTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);

    @Test
    void aLoopWaitingWithoutDeadlineIsWokenByEachEventFromOtherThreads() throws Exception {
        EventQueue queue = new EventQueue(10_000, 10_000);
        int events = 20_000;
        CompletableFuture<Integer> consumed = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            try {
                while (n < events) {
                    if (queue.poll(Long.MAX_VALUE) != null) { // no deadline: only a producer's wake-up ends the wait
                        n++;
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return n;
        });
        Thread[] producers = new Thread[4];
        for (int p = 0; p < producers.length; p++) {
            producers[p] = new Thread(() -> {
                for (int i = 0; i < events / producers.length; i++) {
                    queue.offerClose(); // unbounded: every one counts
                    if (i % 100 == 0) {
                        Thread.yield(); // let the consumer drain and park again now and then
                    }
                }
            });
            producers[p].start();
        }
        assertEquals(events, consumed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        for (Thread producer : producers) {
            producer.join(DEADLINE.toMillis());
        }
    }

    @Test
    void aTimedWaitWithNothingQueuedEndsEmpty() throws InterruptedException {
        EventQueue queue = new EventQueue(1, 1);
        assertNull(queue.poll(5));
        assertNull(queue.poll(0));
        assertNull(queue.poll());
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        EventQueue queue = new EventQueue(1, 1);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread loop = new Thread(() -> {
            started.countDown();
            try {
                queue.poll(Long.MAX_VALUE);
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        loop.start();
        started.await();
        loop.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void submitsAreBoundedAndTakingOneBackFreesItsPlace() throws InterruptedException, TimeoutException,
            ExecutionException {
        EventQueue queue = new EventQueue(2, 1);
        NodeEvent.Submit a = submit(1);
        NodeEvent.Submit b = submit(2);
        assertTrue(queue.offerSubmit(a));
        assertTrue(queue.offerSubmit(b));
        assertFalse(queue.offerSubmit(submit(3)));
        assertTrue(queue.remove(a));
        assertFalse(queue.remove(a));
        NodeEvent.Submit c = submit(4);
        assertTrue(queue.offerSubmit(c));
        assertSame(b, queue.poll(1));
        assertSame(c, queue.poll());
        assertFalse(queue.offerSubmit(submit(5)), "taken, but not given back until the loop finds the queue empty");
        assertNull(queue.poll());
        assertTrue(queue.offerSubmit(submit(5)));
        assertTrue(queue.offerSubmit(submit(6)));
    }

    @Test
    void theLoopGivesTakenPlacesBackEverySoManyEventsWhileTheQueueStaysBusy() {
        int max = EventQueue.SETTLE_EVERY + 1;
        EventQueue queue = new EventQueue(max, 1);
        for (int i = 0; i < max; i++) {
            assertTrue(queue.offerSubmit(submit(i)));
        }
        assertFalse(queue.offerSubmit(submit(max)));
        for (int i = 0; i < EventQueue.SETTLE_EVERY; i++) {
            assertNotNull(queue.poll(), "still queued");
        }

        assertTrue(queue.offerSubmit(submit(max)), "the places were given back though events are still queued");
    }

    @Test
    void aWithdrawnEventIsNeverTakenAndATakenOneCannotBeWithdrawn() {
        EventQueue queue = new EventQueue(2, 1);
        NodeEvent.Transfer transfer = new NodeEvent.Transfer(null, new CompletableFuture<>(), false);
        EventLink withdrawn = queue.offer(transfer);
        NodeEvent.Submit taken = submit(1);
        assertTrue(queue.offerSubmit(taken));
        EventLink takenTransfer = queue.offer(transfer);

        assertTrue(withdrawn.withdraw());
        assertFalse(withdrawn.withdraw(), "once");
        assertSame(taken, queue.poll(), "the withdrawn transfer is skipped");
        assertFalse(queue.remove(taken), "taken already");
        assertSame(transfer, queue.poll());
        assertFalse(takenTransfer.withdraw(), "taken already");
        assertNull(queue.poll());
    }

    @Test
    void drainTakesEverythingQueuedButWhatWasWithdrawn() {
        EventQueue queue = new EventQueue(3, 1);
        NodeEvent.Submit a = submit(1);
        NodeEvent.Submit b = submit(2);
        NodeEvent.Submit c = submit(3);
        queue.offerSubmit(a);
        queue.offerSubmit(b);
        queue.offerClose();
        queue.offerSubmit(c);
        assertTrue(queue.remove(b));

        assertEquals(java.util.List.of(a, NodeEvent.Close.INSTANCE, c), queue.drain());
        assertNull(queue.poll());
    }

    /**
     * Producers queue submits and take some of them back at once while the consumer, parked whenever it finds the
     * queue empty, takes them: each submit is taken once or withdrawn, never both nor neither, each producer's in its
     * order, and no wake-up is lost (the consumer would otherwise park past the deadline).
     */
    @Test
    void producersWithdrawingWhileAParkingConsumerTakesNeitherLoseNorDoubleAnEvent() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        EventQueue queue = new EventQueue(producers * perProducer, 1);
        java.util.concurrent.atomic.AtomicIntegerArray outcome =
                new java.util.concurrent.atomic.AtomicIntegerArray(producers * perProducer);
        CompletableFuture<long[]> consumed = CompletableFuture.supplyAsync(() -> {
            long[] lastPerProducer = new long[producers];
            java.util.Arrays.fill(lastPerProducer, -1);
            int closes = 0;
            try {
                while (closes < producers) {
                    NodeEvent event = queue.poll(Long.MAX_VALUE); // only a producer's wake-up ends the wait
                    if (event instanceof NodeEvent.Close) {
                        closes++;
                    } else if (event instanceof NodeEvent.Submit submit) {
                        int id = (int) submit.proposalId();
                        int producer = id / perProducer;
                        if (id <= lastPerProducer[producer]) {
                            throw new IllegalStateException("out of order: " + id);
                        }
                        lastPerProducer[producer] = id;
                        outcome.incrementAndGet(id);
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return lastPerProducer;
        });
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    int id = producer * perProducer + i;
                    NodeEvent.Submit submit = submit(id);
                    if (!queue.offerSubmit(submit)) {
                        throw new IllegalStateException("refused below the bound: " + id);
                    }
                    if (i % 3 == 0 && queue.remove(submit)) {
                        outcome.incrementAndGet(id);
                    }
                }
                queue.offerClose();
            });
            threads[p].start();
        }
        consumed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        for (Thread thread : threads) {
            thread.join(DEADLINE.toMillis());
        }
        for (int id = 0; id < outcome.length(); id++) {
            assertEquals(1, outcome.get(id), "submit " + id + " taken or withdrawn exactly once");
        }
    }

    private static NodeEvent.Submit submit(long id) {
        return new NodeEvent.Submit(id, new byte[0], false, error -> { });
    }
}
