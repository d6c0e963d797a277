package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leader's view of one follower: match only grows, probe and pipeline reset what they must, inflights are bounded. */
class FollowerProgressTest {

    @Test
    void startsProbingAtTheGivenIndexKnowingNothing() {
        FollowerProgress pr = new FollowerProgress("b", 5, 2);
        assertEquals(FollowerProgress.State.PROBE, pr.state);
        assertEquals(5, pr.next);
        assertEquals(0, pr.match);
        assertFalse(pr.probeOutstanding);
        assertFalse(pr.heardWithin(0, Long.MAX_VALUE), "never heard from");
    }

    @Test
    void matchOnlyGrowsAndPullsNextAlong() {
        FollowerProgress pr = new FollowerProgress("b", 1, 4);
        assertTrue(pr.updateMatch(3));
        assertEquals(3, pr.match);
        assertEquals(4, pr.next);
        assertFalse(pr.updateMatch(3), "the same match is no progress");
        assertFalse(pr.updateMatch(2), "a stale acknowledgement does not move match back");
        assertEquals(3, pr.match);
        pr.next = 10; // pipelined ahead
        assertTrue(pr.updateMatch(5));
        assertEquals(10, pr.next, "next never moves back on an acknowledgement");
    }

    @Test
    void anAcknowledgementFreesTheInflightsItCovers() {
        FollowerProgress pr = new FollowerProgress("b", 1, 3);
        pr.becomePipeline();
        pr.inflights.add(2, 100);
        pr.inflights.add(4, 110);
        pr.inflights.add(6, 120);
        assertTrue(pr.inflights.full());
        pr.updateMatch(4);
        assertEquals(1, pr.inflights.size());
        assertEquals(120, pr.inflights.oldestSentAt());
        pr.updateMatch(6);
        assertTrue(pr.inflights.isEmpty());
    }

    @Test
    void pipelineResumesAfterTheMatchAndProbeAtTheGivenIndex() {
        FollowerProgress pr = new FollowerProgress("b", 8, 2);
        pr.probeOutstanding = true;
        pr.updateMatch(7);
        pr.becomePipeline();
        assertEquals(FollowerProgress.State.PIPELINE, pr.state);
        assertEquals(8, pr.next);
        assertFalse(pr.probeOutstanding);
        pr.inflights.add(9, 0);
        pr.becomeProbe(6);
        assertEquals(FollowerProgress.State.PROBE, pr.state);
        assertEquals(6, pr.next);
        assertFalse(pr.probeOutstanding);
        assertTrue(pr.inflights.isEmpty(), "a probe starts with nothing in flight");
        assertEquals(7, pr.match, "probing does not forget what is known to match");
    }

    @Test
    void heardWithinCountsTheWindowInclusively() {
        FollowerProgress pr = new FollowerProgress("b", 1, 1);
        pr.lastHeardAt = 1_000;
        for (long now = 1_000; now <= 1_200; now += 50) {
            assertEquals(now - 1_000 <= 100, pr.heardWithin(now, 100), "at " + now);
        }
    }
}
