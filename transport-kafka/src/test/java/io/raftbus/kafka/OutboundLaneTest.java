package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutboundLaneTest {

    @Test
    void fullQueueDropsTheNewestMessageWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<RaftMessage> dispatched = new CopyOnWriteArrayList<>();
        DropCounters drops = new DropCounters("test", System::nanoTime);
        try (OutboundLane lane = new OutboundLane("lane", 2, m -> {
            awaitQuietly(release);
            dispatched.add(m);
        }, drops)) {
            lane.start();
            RaftMessage first = vote(1);
            lane.offer(first);
            Await.until("the sender thread took the first message", () -> lane.queued() == 0);
            lane.offer(vote(2));
            lane.offer(vote(3));
            lane.offer(vote(4)); // queue (capacity 2) is full: this one is dropped
            assertEquals(1, drops.count(DropCause.QUEUE_FULL));
            release.countDown();
            Await.until("the queued messages are sent", () -> dispatched.size() == 3);
            assertEquals(List.of(1L, 2L, 3L), dispatched.stream().map(RaftMessage::term).toList(),
                    "the older queued messages go out in order; the newest was dropped");
        }
    }

    private static VoteRequest vote(long term) {
        return new VoteRequest("c", "n1", "n2", term, 0, 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
