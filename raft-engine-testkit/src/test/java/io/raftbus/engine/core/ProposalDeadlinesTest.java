package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The deadlines of waiting proposals behave as an insertion-ordered map from proposal id to (deadline, read), whatever
 * the order of settlements, across the ring's compactions, growth and shrinking.
 */
class ProposalDeadlinesTest {

    private record Tracked(long deadline, boolean read) {
    }

    @Test
    void behavesAsAnInsertionOrderedMapUnderRandomAddsSettlementsAndExpiries() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            ProposalDeadlines deadlines = new ProposalDeadlines();
            Map<Long, Tracked> model = new LinkedHashMap<>();
            List<Long> live = new ArrayList<>();
            long nextId = random.nextLong() >>> 2;
            long now = 0;
            for (int step = 0; step < 30_000; step++) {
                String at = "seed " + seed + " step " + step;
                int action = random.nextInt(100);
                if (live.isEmpty() || action < 50) {
                    // now and then an id tracked again (keeps its place, takes the new deadline)
                    long id = !live.isEmpty() && random.nextInt(50) == 0 ? live.get(random.nextInt(live.size()))
                            : ++nextId;
                    boolean read = random.nextBoolean();
                    deadlines.add(id, now + 100, read);
                    if (model.put(id, new Tracked(now + 100, read)) == null) {
                        live.add(id);
                    }
                } else if (action < 97) {
                    // mostly settles in any order; sometimes an unknown id; a stuck head stays long
                    long id = random.nextInt(10) == 0 ? nextId + 1_000_000 : live.get(random.nextInt(live.size()));
                    boolean expected = model.remove(id) != null;
                    live.remove(id);
                    assertEquals(expected, deadlines.settle(id), at);
                } else {
                    now += random.nextInt(1, 60);
                    List<ProposalDeadlines.Expired> expected = new ArrayList<>();
                    Iterator<Map.Entry<Long, Tracked>> it = model.entrySet().iterator();
                    while (it.hasNext()) {
                        Map.Entry<Long, Tracked> e = it.next();
                        if (e.getValue().deadline() > now) {
                            break;
                        }
                        expected.add(new ProposalDeadlines.Expired(e.getKey(), e.getValue().read()));
                        it.remove();
                        live.remove(e.getKey());
                    }
                    assertEquals(expected, deadlines.expire(now), at);
                }
                assertEquals(model.size(), deadlines.size(), at);
                assertEquals(model.isEmpty() ? Long.MAX_VALUE : model.values().iterator().next().deadline(),
                        deadlines.earliest(), at);
                if (!live.isEmpty()) {
                    long id = live.get(random.nextInt(live.size()));
                    assertEquals(true, deadlines.contains(id), at);
                    assertEquals(model.get(id).read(), deadlines.isRead(id), at);
                }
            }
        }
    }
}
