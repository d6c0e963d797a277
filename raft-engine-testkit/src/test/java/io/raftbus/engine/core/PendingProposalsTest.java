package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PendingProposals} behaves exactly as the sorted map of lists it replaced (kept here as the model): the same
 * waiters out of {@code take}, in the same order, and the same {@code removeFrom} results, in index order, under
 * random operations that keep the ring dense, move it along, and send indexes far ahead (the overflow).
 */
class PendingProposalsTest {

    /** The former implementation: a TreeMap of lists by index. */
    private static final class Model {
        private final TreeMap<Long, List<PendingProposals.Pending>> byIndex = new TreeMap<>();
        private int size;

        void add(long index, Waiter waiter, long term) {
            byIndex.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new PendingProposals.Pending(waiter, term));
            size++;
        }

        boolean contains(long index, Waiter waiter) {
            List<PendingProposals.Pending> at = byIndex.get(index);
            return at != null && at.stream().anyMatch(p -> p.waiter().equals(waiter));
        }

        List<PendingProposals.Pending> take(long index) {
            List<PendingProposals.Pending> found = byIndex.remove(index);
            if (found == null) {
                return List.of();
            }
            size -= found.size();
            return found;
        }

        List<Map.Entry<Long, PendingProposals.Pending>> removeFrom(long fromIndex,
                                                                   PendingProposals.IndexTermCheck stillValid) {
            List<Map.Entry<Long, PendingProposals.Pending>> removed = new ArrayList<>();
            Iterator<Map.Entry<Long, List<PendingProposals.Pending>>> it =
                    byIndex.tailMap(fromIndex, true).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, List<PendingProposals.Pending>> e = it.next();
                Iterator<PendingProposals.Pending> ps = e.getValue().iterator();
                while (ps.hasNext()) {
                    PendingProposals.Pending p = ps.next();
                    if (!stillValid.test(e.getKey(), p.term())) {
                        removed.add(Map.entry(e.getKey(), p));
                        ps.remove();
                        size--;
                    }
                }
                if (e.getValue().isEmpty()) {
                    it.remove();
                }
            }
            return removed;
        }
    }

    @Test
    void behavesAsTheSortedMapItReplacedUnderRandomOperations() {
        for (long seed = 1; seed <= 50; seed++) {
            runAgainstModel(seed);
        }
    }

    @Test
    void waitersAtOneIndexComeOutInTheOrderTheyWereAddedAcrossRingAndOverflow() {
        PendingProposals pending = new PendingProposals();
        long far = 10 + PendingProposals.MAX_SLOTS;
        pending.add(10, new Waiter.Local(1), 1);
        pending.add(far, new Waiter.Local(2), 1); // too far from 10: the overflow
        List<PendingProposals.Pending> taken = new ArrayList<>();
        pending.take(10, taken);
        pending.add(far, new Waiter.Local(3), 1); // the ring moved on: the ring
        assertEquals(2, pending.size());
        pending.take(far, taken);
        assertEquals(List.of(new Waiter.Local(2), new Waiter.Local(3)),
                taken.stream().map(PendingProposals.Pending::waiter).toList());
        assertEquals(0, pending.size());
    }

    private static void runAgainstModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PendingProposals pending = new PendingProposals();
        Model model = new Model();
        List<PendingProposals.Pending> taken = new ArrayList<>();
        long base = 1; // the next index to commit, moving along as in a log
        long proposal = 0;
        for (int step = 0; step < 3_000; step++) {
            int op = random.nextInt(100);
            String at = "seed " + seed + " step " + step;
            if (op < 45) {
                long index = base + pickSpan(random);
                Waiter waiter = random.nextInt(4) == 0 ? new Waiter.Remote("c", random.nextLong(3))
                        : new Waiter.Local(++proposal);
                long term = 1 + random.nextInt(4);
                pending.add(index, waiter, term);
                model.add(index, waiter, term);
            } else if (op < 85) {
                long index = random.nextInt(4) == 0 ? base + pickSpan(random) : base++;
                pending.take(index, taken);
                assertEquals(model.take(index), taken, at + ": take " + index);
            } else if (op < 92) {
                long index = base + pickSpan(random);
                Waiter waiter = random.nextBoolean() ? new Waiter.Local(random.nextLong(proposal + 1))
                        : new Waiter.Remote("c", random.nextLong(3));
                assertEquals(model.contains(index, waiter), pending.contains(index, waiter), at + ": contains");
            } else {
                long from = base + pickSpan(random) - 5;
                long minTerm = 1 + random.nextInt(4);
                PendingProposals.IndexTermCheck check = (index, term) -> term >= minTerm;
                assertEquals(model.removeFrom(from, check), pending.removeFrom(from, check), at + ": removeFrom");
            }
            assertEquals(model.size, pending.size(), at + ": size");
        }
    }

    /** Mostly near the commit point, sometimes a batch or two ahead, rarely farther than the ring holds. */
    private static long pickSpan(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 70) {
            return random.nextInt(8);
        } else if (kind < 99) {
            return random.nextInt(300);
        }
        return PendingProposals.MAX_SLOTS - 50 + random.nextInt(100);
    }
}
