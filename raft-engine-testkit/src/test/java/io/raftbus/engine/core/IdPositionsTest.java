package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ids mapped to positions behave as a map, whatever the ids: drawn from a counter with gaps, arriving out of order,
 * or far from the others (their slot taken: the ring grows, then they wait outside it), and ids that wait long.
 */
class IdPositionsTest {

    @Test
    void behavesAsAMapUnderCounterIdsWithGapsReorderingAndFarIds() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            IdPositions positions = new IdPositions();
            Map<Long, Long> model = new HashMap<>();
            List<Long> live = new ArrayList<>();
            long counter = random.nextLong() >> 1; // negative ones too
            for (int step = 0; step < 40_000; step++) {
                String at = "seed " + seed + " step " + step;
                int action = random.nextInt(100);
                if (live.isEmpty() || action < 50) {
                    long id = switch (random.nextInt(20)) {
                        case 0 -> counter - random.nextInt(1, 20); // drawn earlier, arriving late
                        case 1 -> counter + random.nextLong(-4L * IdPositions.MAX_SLOTS, 4L * IdPositions.MAX_SLOTS);
                        case 2 -> live.isEmpty() ? ++counter : live.get(random.nextInt(live.size())); // known
                        default -> counter += random.nextInt(5) == 0 ? random.nextInt(2, 50) : 1; // gaps now and then
                    };
                    long value = random.nextLong(Long.MAX_VALUE);
                    positions.put(id, value);
                    if (model.put(id, value) == null) {
                        live.add(id);
                    }
                } else if (action < 95 || live.size() > 20_000) {
                    // settled in any order, oldest most often; sometimes an unknown id
                    long id = random.nextInt(10) == 0 ? counter + random.nextInt(1, 1_000_000)
                            : live.get(random.nextInt(3) == 0 ? random.nextInt(live.size()) : 0);
                    Long expected = model.remove(id);
                    live.remove(id);
                    assertEquals(expected == null ? -7 : expected, positions.remove(id, -7), at);
                } else {
                    long id = random.nextInt(3) == 0 ? counter + 1 : live.get(random.nextInt(live.size()));
                    Long expected = model.get(id);
                    assertEquals(expected == null ? -7 : expected, positions.get(id, -7), at);
                }
                assertEquals(model.size(), positions.size(), at);
            }
            for (long id : live) {
                assertEquals(model.get(id), positions.remove(id, -7), "seed " + seed);
            }
            assertEquals(0, positions.size(), "seed " + seed);
        }
    }
}
