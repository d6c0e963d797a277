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
        for (long seed = 1; seed <= SEEDS; seed++) {
            SessionScenario.Result r = SessionScenario.run(seed);
            answered += r.answered();
            retries += r.retries();
            expired += r.expiredSessions();
        }
        assertTrue(answered > SEEDS * 10L, "the clients got few answers: " + answered);
        assertTrue(retries > 0, "no client ever retried: the scenario tests nothing");
        assertTrue(expired > 0, "no session ever expired: the short idle timeouts test nothing");
    }

    @Test
    void aSessionRunIsDeterministic() {
        assertEquals(SessionScenario.run(4), SessionScenario.run(4));
        assertEquals(SessionScenario.run(7), SessionScenario.run(7));
    }
}
