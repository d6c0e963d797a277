package io.raftbus.engine.simulation;

import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader sends a batch of commands to its followers before it appends the batch to its own log
 * ({@link RaftConfig#leaderAppendOverlapsSend()}). When it crashes, or its append fails, between the two, the
 * followers hold entries the leader does not: a later leader commits them, so the batch's proposals must end as
 * outcome unknown (never "not appended", which would promise they are never applied), and the old leader must never
 * put other entries at those indexes in its term.
 */
class EarlySendScenarioTest {

    private static final RaftConfig CONFIG = RaftConfig.builder().electionTimeoutMs(150, 300)
            .heartbeatIntervalMs(50).leaderAppendOverlapsSend(true).build();

    @Test
    void aLeaderCrashedAfterSendingItsBatchAndBeforeAppendingItHasItCommittedByTheNextLeader() {
        for (long seed = 1; seed <= 5; seed++) {
            Simulation sim = Simulation.builder(seed).nodes(3).config(CONFIG).build();
            String old = warmUp(sim);
            long oldTerm = sim.status(old).orElseThrow().term();
            String member = otherThan(sim, old);

            sim.crashBeforeNextEarlyAppend(old);
            long forwarded = sim.submit(member, bytes("forwarded, sent ahead, leader crashed " + seed));
            assertTrue(sim.runUntil(() -> !sim.isUp(old), 500), "the leader crashed before its append");
            assertEquals(1, sim.crashesBeforeAppend());

            assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "the followers elect a leader");
            assertNotEquals(old, sim.leader().orElseThrow());
            assertTrue(sim.status(sim.leader().orElseThrow()).orElseThrow().term() > oldTerm);
            byte[] command = bytes("forwarded, sent ahead, leader crashed " + seed);
            assertTrue(sim.runUntil(() -> appliedOnAllUp(sim, command), 2_000),
                    "the entries the followers held are committed under the new leader (seed " + seed + ")");

            assertTrue(sim.runUntil(() -> sim.outcome(forwarded).status() != ProposalOutcome.Status.PENDING,
                    CONFIG.commandTimeoutMs()), "the member learns an outcome");
            ProposalOutcome outcome = sim.outcome(forwarded);
            if (outcome.status() == ProposalOutcome.Status.FAILED) {
                assertFalse(outcome.failure() instanceof RetriableCommandException,
                        "never 'certainly not applied': " + outcome.failure());
            }

            sim.restart(old);
            assertTrue(sim.runUntil(() -> appliedOnAllUp(sim, command), 2_000), "the old leader catches up");
        }
    }

    /**
     * Found by the membership sweep (seed 10349): the leader crashed between sending a member's command ahead and
     * appending it, restarted at once, and a network duplicate of the command then reached it. Answered "not leader"
     * (it remembers nothing from before the restart), the member failed the command as certainly not applied, and
     * the followers committed it. A node that may have led its term before the restart answers such a duplicate
     * "outcome unknown".
     */
    @Test
    void aDuplicateReachingTheRestartedLeaderIsNotAnsweredCertainlyNotApplied() {
        int answeredAfterRestart = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Simulation sim = Simulation.builder(seed).nodes(3).config(CONFIG).build();
            String old = warmUp(sim);
            String member = otherThan(sim, old);
            byte[] command = bytes("forwarded, duplicated, leader crashed " + seed);

            sim.crashBeforeNextEarlyAppend(old);
            sim.setFaults(new NetworkFaults(0, 0.99, 1, 40)); // the forward is duplicated, copies reordered
            long forwarded = sim.submit(member, command);
            assertTrue(sim.runUntil(() -> !sim.isUp(old), 500), "the leader crashed before its append");
            sim.restart(old);
            sim.runFor(40); // the duplicate, if later than the first copy, reaches the restarted node
            sim.setFaults(NetworkFaults.NONE);

            assertTrue(sim.runUntil(() -> appliedOnAllUp(sim, command), 5_000), "committed under a new leader");
            assertTrue(sim.runUntil(() -> sim.outcome(forwarded).status() != ProposalOutcome.Status.PENDING,
                    CONFIG.commandTimeoutMs()));
            ProposalOutcome outcome = sim.outcome(forwarded);
            if (outcome.status() == ProposalOutcome.Status.FAILED) {
                assertFalse(outcome.failure() instanceof RetriableCommandException, "seed " + seed + ": "
                        + outcome.failure());
                if (String.valueOf(outcome.failure().getMessage()).contains("restarted")) {
                    answeredAfterRestart++;
                }
            }
        }
        assertTrue(answeredAfterRestart > 0, "some seed has the duplicate reach the restarted node");
    }

    @Test
    void aLeaderWhoseAppendFailsAfterSendingFailsTheBatchAsOutcomeUnknownAndStepsDown() {
        for (long seed = 1; seed <= 5; seed++) {
            Set<String> failNextAppend = new HashSet<>();
            Simulation sim = Simulation.builder(seed).nodes(3).config(CONFIG)
                    .logFactory(flakyLogs(failNextAppend)).build();
            String old = warmUp(sim);
            long oldTerm = sim.status(old).orElseThrow().term();

            byte[] localCommand = bytes("local, sent ahead, append failed " + seed);
            failNextAppend.add(old);
            long local = sim.submit(old, localCommand);
            assertEquals(ProposalOutcome.Status.FAILED, sim.outcome(local).status());
            assertInstanceOf(CommandOutcomeUnknownException.class, sim.outcome(local).failure());
            assertEquals(Role.FOLLOWER, sim.status(old).orElseThrow().role(), "steps down at once");
            assertEquals(oldTerm, sim.status(old).orElseThrow().term(), "in the same term: it never leads it again");

            assertTrue(sim.runUntil(() -> appliedOnAllUp(sim, localCommand), 5_000),
                    "a later leader commits what the followers held (seed " + seed + ")");
            assertTrue(sim.status(sim.leader().orElseThrow()).orElseThrow().term() > oldTerm);

            String leader = sim.leader().orElseThrow();
            String follower = otherThan(sim, leader);
            byte[] forwardedCommand = bytes("forwarded, sent ahead, append failed " + seed);
            failNextAppend.add(leader);
            long forwarded = sim.submit(follower, forwardedCommand);
            assertTrue(sim.runUntil(() -> sim.outcome(forwarded).status() != ProposalOutcome.Status.PENDING, 1_000));
            assertInstanceOf(CommandOutcomeUnknownException.class, sim.outcome(forwarded).failure(),
                    "the member is told the outcome is unknown");
            assertTrue(sim.runUntil(() -> appliedOnAllUp(sim, forwardedCommand), 5_000));
        }
    }

    @Test
    void withTheOptionOffAFailedLeaderAppendIsStillCertainlyNotAppended() {
        Set<String> failNextAppend = new HashSet<>();
        Simulation sim = Simulation.builder(1).nodes(3)
                .config(CONFIG.toBuilder().leaderAppendOverlapsSend(false).build())
                .logFactory(flakyLogs(failNextAppend)).build();
        String leader = warmUp(sim);
        failNextAppend.add(leader);
        long id = sim.submit(leader, bytes("never sent, never appended"));
        assertInstanceOf(CommandNotAppendedException.class, sim.outcome(id).failure());
        assertEquals(Role.LEADER, sim.status(leader).orElseThrow().role(), "leads on: nothing was sent");
    }

    /** Elects a leader and commits one command, so every follower is pipelining; returns the leader. */
    private static String warmUp(Simulation sim) {
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        String leader = sim.leader().orElseThrow();
        byte[] first = bytes("warm-up");
        long id = sim.submit(leader, first);
        assertTrue(sim.runUntil(() -> sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED
                && appliedOnAllUp(sim, first), 1_000));
        sim.runFor(100); // a heartbeat round: each follower's acknowledgement is in, its window empty
        return leader;
    }

    private static String otherThan(Simulation sim, String id) {
        return sim.nodeIds().stream().filter(n -> !n.equals(id) && sim.isUp(n)).findFirst().orElseThrow();
    }

    private static boolean appliedOnAllUp(Simulation sim, byte[] command) {
        for (String id : sim.nodeIds()) {
            if (sim.isUp(id) && sim.applied(id).stream().noneMatch(c -> Arrays.equals(c, command))) {
                return false;
            }
        }
        return true;
    }

    /** In-memory logs, kept across restarts, whose next append fails (transiently) on a node put in the set. */
    private static Function<String, LogAPI> flakyLogs(Set<String> failNextAppend) {
        Map<String, InMemoryLog> logs = new HashMap<>();
        return id -> new ForwardingLog(logs.computeIfAbsent(id, k -> new InMemoryLog()).reopen()) {
            @Override
            public void append(List<LogEntry> entries) {
                if (failNextAppend.remove(id)) {
                    throw new LogException("simulated transient failure of an append on " + id);
                }
                super.append(entries);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
