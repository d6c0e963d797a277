package io.raftbus.engine.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One campaign's tally: self first, each voter once, and only grants of this pre-campaign (or old peers') count. */
class CandidateStateTest {

    @Test
    void eachVoterCountsOnceStartingWithSelf() {
        CandidateState c = CandidateState.campaign("a", true);
        assertEquals(1, c.grantCount());
        assertEquals(2, c.grant("b"));
        assertEquals(2, c.grant("b"), "a duplicate grant counts once");
        assertEquals(2, c.grant("a"));
        assertEquals(3, c.grant("c"));
    }

    @Test
    void onlyGrantsEchoingThisPreCampaignCount() {
        CandidateState c = CandidateState.preCampaign("a", true, 42);
        assertEquals(42, c.preCampaignNumber());
        assertTrue(c.answersThisPreCampaign(42));
        assertFalse(c.answersThisPreCampaign(41), "a late grant of an earlier pre-campaign");
        assertTrue(c.answersThisPreCampaign(0), "a peer too old to echo");
    }
}
