package io.raftbus.engine.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyTest {

    @Test
    void keepsCountTotalAndMaxAndClampsNegativeDurations() {
        Latency latency = new Latency();
        latency.record(5);
        latency.record(20);
        latency.record(-3);

        assertEquals(3, latency.count());
        assertEquals(25, latency.totalNanos());
        assertEquals(20, latency.maxNanos());
    }

    @Test
    void observersSeeOnlyWhatIsRecordedWhileRegisteredAndAThrowingOneHarmsNothing() {
        Latency latency = new Latency();
        List<Long> seen = new ArrayList<>();
        LongConsumer observer = seen::add;
        latency.record(1);
        latency.addObserver(n -> {
            throw new IllegalStateException("broken observer");
        });
        latency.addObserver(observer);
        latency.record(2);
        latency.removeObserver(observer);
        latency.record(3);

        assertEquals(List.of(2L), seen);
        assertEquals(3, latency.count());
    }
}
