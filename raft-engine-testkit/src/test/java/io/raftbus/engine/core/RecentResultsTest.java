package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link RecentResults}: the results of the last log indexes applied, none older, none never recorded. */
class RecentResultsTest {

    private static byte[] result(long index) {
        return new byte[] {(byte) index, (byte) (index >> 8)};
    }

    @Test
    void keepsTheResultsOfTheLastCapacityIndexesAndForgetsOlderOnes() {
        RecentResults recent = new RecentResults(1024);
        for (long index = 1; index <= 5000; index++) {
            if (index % 7 != 0) { // index 7, 14, ...: a no-op, no result recorded
                recent.put(index, result(index));
            }
        }
        for (long index = 5000 - 1023; index <= 5000; index++) {
            if (index % 7 == 0) {
                assertNull(recent.get(index), "index " + index + " was never recorded");
            } else {
                assertArrayEquals(result(index), recent.get(index), "index " + index);
            }
        }
        assertNull(recent.get(5000 - 1024), "evicted: more than 1024 indexes back");
        assertNull(recent.get(1), "evicted");
        assertNull(recent.get(5001), "not applied yet");
        assertNull(recent.get(0), "never a log index");
    }

    @Test
    void aCapacityThatIsNoPowerOfTwoIsRoundedUpNotDown() {
        RecentResults recent = new RecentResults(10_000);
        for (long index = 1; index <= 20_000; index++) {
            recent.put(index, result(index));
        }
        assertArrayEquals(result(10_001), recent.get(10_001), "10,000 indexes back: kept");
    }
}
