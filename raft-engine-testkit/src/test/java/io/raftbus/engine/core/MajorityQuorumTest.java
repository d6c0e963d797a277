package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Majority arithmetic: sizes, whether a count is a majority, and the value a majority has reached. */
class MajorityQuorumTest {

    @Test
    void aMajorityIsMoreThanHalfOfTheVoters() {
        int[] expected = {0, 1, 2, 2, 3, 3, 4, 4};
        for (int voters = 1; voters < expected.length; voters++) {
            MajorityQuorum q = new MajorityQuorum(voters);
            assertEquals(expected[voters], q.size(), voters + " voters");
            for (int count = 0; count <= voters; count++) {
                assertEquals(2 * count > voters, q.isReachedBy(count), count + " of " + voters);
            }
        }
    }

    @Test
    void aQuorumNeedsAVoter() {
        assertThrows(IllegalArgumentException.class, () -> new MajorityQuorum(0));
    }

    @Test
    void theValueReachedIsTheHighestThatAMajorityHasReached() {
        assertEquals(7, new MajorityQuorum(1).valueReached(new long[] {7}));
        assertEquals(3, new MajorityQuorum(2).valueReached(new long[] {9, 3}));
        assertEquals(5, new MajorityQuorum(3).valueReached(new long[] {9, 1, 5}));
        assertEquals(5, new MajorityQuorum(3).valueReached(new long[] {5, 5, 0}));
        assertEquals(4, new MajorityQuorum(4).valueReached(new long[] {8, 4, 2, 6}));
        assertEquals(3, new MajorityQuorum(5).valueReached(new long[] {0, 9, 3, 1, 8}));
    }

    @Test
    void theValueReachedIsAtMostWhatEachMajorityHasReached() {
        // exhaustive over 3 and 5 voters with values 0..3: at least a majority has reached the answer, and no
        // majority has reached anything higher
        for (int voters : new int[] {3, 5}) {
            MajorityQuorum q = new MajorityQuorum(voters);
            int combinations = (int) Math.pow(4, voters);
            for (int c = 0; c < combinations; c++) {
                long[] values = new long[voters];
                for (int i = 0, rest = c; i < voters; i++, rest /= 4) {
                    values[i] = rest % 4;
                }
                long[] before = values.clone();
                long reached = q.valueReached(values);
                assertArrayEquals(before, values, "the input is not modified");
                assertTrue(q.isReachedBy(countAtLeast(values, reached)));
                assertFalse(q.isReachedBy(countAtLeast(values, reached + 1)));
            }
        }
    }

    @Test
    void theScratchArrayComesBackClearedAndGivesTheSameValueInPlace() {
        MajorityQuorum q = new MajorityQuorum(5);
        long[] values = {0, 9, 3, 1, 8};
        long[] scratch = q.clearedScratch();
        System.arraycopy(values, 0, scratch, 0, values.length);
        assertEquals(q.valueReached(values), q.valueReachedInPlace(scratch));
        assertSame(scratch, q.clearedScratch(), "one array, reused");
        assertArrayEquals(new long[5], scratch, "cleared for the next caller");
    }

    @Test
    void oneValuePerVoter() {
        assertThrows(IllegalArgumentException.class, () -> new MajorityQuorum(3).valueReached(new long[] {1, 2}));
    }

    private static int countAtLeast(long[] values, long floor) {
        int n = 0;
        for (long v : values) {
            if (v >= floor) {
                n++;
            }
        }
        return n;
    }
}
