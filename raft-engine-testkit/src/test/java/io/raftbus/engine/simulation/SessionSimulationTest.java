package io.raftbus.engine.simulation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session clients retrying through message loss, duplication, leader changes, crashes and snapshots, on virtual time:
 * each (session, seq) is applied at most once on every node and every answer names that one application
 * ({@link SessionScenario}). A longer sweep: {@link SessionLongRun}.
 */
class SessionSimulationTest {

    private static final int SEEDS = Integer.getInteger("sim.sessionSeeds", 25);

    @Test
    void sessionClientsGetExactlyOnceAnswersUnderRandomFaults() {
        long answered = 0;
        long retries = 0;
        long expired = 0;
        long closes = 0;
        long refusals = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SessionScenario.Result r = SessionScenario.run(seed);
            answered += r.answered();
            retries += r.retries();
            expired += r.expiredSessions();
            closes += r.closes();
            refusals += r.refusals();
        }
        assertTrue(answered > SEEDS * 10L, "the clients got few answers: " + answered);
        assertTrue(retries > 0, "no client ever retried: the scenario tests nothing");
        assertTrue(expired > 0, "no session ever expired: the short idle timeouts test nothing");
        assertTrue(closes > 0, "no client ever closed its session");
        assertTrue(refusals > 0, "the held-results cap never refused a command: the small limits test nothing");
    }

    /**
     * Seed 28618 (with snapshots): a node whose log was reset to an installed snapshot at 89 is elected in term 9;
     * the checker compared index 87 with a stale entry the reset had discarded and reported a Leader Completeness
     * violation that was none (its log holds the committed prefix through 89, in the snapshot).
     */
    @Test
    void aNodeElectedAfterItsLogWasResetToASnapshotHoldsTheCommittedPrefixSeed28618() {
        SessionScenario.run(28618);
    }

    @Test
    void aSessionRunIsDeterministic() {
        assertEquals(SessionScenario.run(4), SessionScenario.run(4));
        assertEquals(SessionScenario.run(7), SessionScenario.run(7));
    }
}
