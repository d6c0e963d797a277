package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.Role;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader's read rounds restart at 0 when it restarts. AppendEntries it sent before the restart, carrying a high
 * round, can reach followers after it leads again in a new term; their rejections (of an older term) must not
 * confirm the new term's rounds, or a leader deposed later serves reads that miss another leader's writes.
 */
class StaleReadScenarioTest {

    /** Message delay while the old leader's last AppendEntries are in flight: longer than the re-election below. */
    private static final long SLOW_MS = 2_000;

    private static final RaftConfig CONFIG = RaftConfig.builder().electionTimeoutMs(150, 300)
            .heartbeatIntervalMs(50).preVote(false).checkQuorum(false).build();

    @Test
    void aDeposedLeaderDoesNotServeAReadConfirmedByEchoesOfItsPreviousLife() {
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = Simulation.builder(seed).nodes(3).config(CONFIG).build();
            assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
            String old = sim.leader().orElseThrow();

            for (int i = 0; i < 20; i++) { // 20 read rounds: the leader's round number reaches about 20
                long read = sim.submitRead(old);
                assertTrue(sim.runUntil(() -> sim.outcome(read).status() != ProposalOutcome.Status.PENDING, 1_000));
            }
            sim.setFaults(new NetworkFaults(0, 0, SLOW_MS, SLOW_MS));
            long read = sim.submitRead(old); // one more round, sent on slow links
            sim.runFor(60); // and a heartbeat, carrying it too
            sim.setFaults(NetworkFaults.NONE);

            sim.crash(old);
            sim.restart(old); // its read rounds start again from 0
            assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 1_000), "a new leader");
            if (!sim.leader().orElseThrow().equals(old)) {
                assertTrue(sim.transferLeadership(old));
            }
            assertTrue(sim.runUntil(() -> sim.leader().filter(old::equals).isPresent(), 500), "the old node leads");
            long ownTerm = sim.status(old).orElseThrow().term();
            long first = sim.submit(old, bytes("first write of the new term"));
            assertTrue(sim.runUntil(() -> sim.outcome(first).status() == ProposalOutcome.Status.COMMITTED, 500));
            assertEquals(ProposalOutcome.Status.FAILED, sim.outcome(read).status(), "lost with the crash");

            sim.runFor(SLOW_MS); // the slow AppendEntries of the old life arrive, and are rejected (older term)
            sim.isolate(old); // without CheckQuorum it leads on, alone
            assertTrue(sim.runUntil(() -> sim.leader().filter(l -> !l.equals(old)).isPresent(), 2_000),
                    "the others elect a leader");
            String next = sim.leader().orElseThrow();
            long write = sim.submit(next, bytes("write the deposed leader must not miss"));
            assertTrue(sim.runUntil(() -> sim.outcome(write).status() == ProposalOutcome.Status.COMMITTED, 500));
            assertEquals(Role.LEADER, sim.status(old).orElseThrow().role());
            assertEquals(ownTerm, sim.status(old).orElseThrow().term(), "deposed, and does not know it yet");

            long stale = sim.submitRead(old); // served now would miss the write: the simulation fails on that
            sim.runFor(1_000);
            assertEquals(ProposalOutcome.Status.PENDING, sim.outcome(stale).status(), "no majority confirms it");
            sim.heal();
            assertTrue(sim.runUntil(() -> sim.outcome(stale).status() != ProposalOutcome.Status.PENDING, 1_000));
            assertInstanceOf(ReadNotServedException.class, sim.outcome(stale).failure(), "seed " + seed);
            assertNotEquals(Role.LEADER, sim.status(old).orElseThrow().role());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
