package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.LogAPI;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One randomized run, fully determined by its seed: a 3- or 5-node cluster with randomly chosen protocol settings
 * (PreVote and CheckQuorum on or off, small batches and windows to exercise batching and pipelining) runs a client
 * workload through a fault phase (message loss, duplication, reordering, symmetric and one-way partitions, crashes
 * and restarts), then all faults heal and liveness is checked: a leader is elected and a new command commits on
 * every node within a bound of virtual time, and every proposal on a live node learns its outcome. A third of the
 * seeds run on logs that fail a small fraction of calls, and half model a durable state machine. Safety invariants are checked throughout by the {@link Simulation}.
 */
public final class RandomFaultScenario {

    /** Virtual time of the fault phase. */
    public static final long FAULT_PHASE_MS = 8_000;
    /** After healing, a leader must exist within this much virtual time. */
    public static final long LEADER_BOUND_MS = 5_000;
    /** After a leader exists, a new command must be applied on every node within this much virtual time. */
    public static final long COMMIT_BOUND_MS = 5_000;
    /** After the probe commits, every proposal on a live node must have its outcome within this much time. */
    public static final long RESOLVE_BOUND_MS = 3_000;
    /** The liveness probe is submitted again if its outcome is still unknown after this long. */
    public static final long PROBE_RETRY_MS = 1_000;

    private RandomFaultScenario() {
    }

    /** What a passing run did, for reports. */
    public record Result(long seed, int nodes, long committed, long messages, long virtualMs, long logErrors,
                         Map<String, Long> outcomes) {
    }

    /** Runs the scenario for {@code seed} with in-memory logs. */
    public static Result run(long seed) {
        return run(seed, null);
    }

    /**
     * Runs the scenario for {@code seed}; {@code logFactory} (may be null for in-memory logs) supplies each node's
     * log as in {@link Simulation.Builder#logFactory(Function)}.
     *
     * @throws InvariantViolation if a safety invariant or the liveness check fails
     */
    public static Result run(long seed, Function<String, LogAPI> logFactory) {
        return run(seed, logFactory, null);
    }

    /**
     * Runs the scenario for {@code seed} as {@link #run(long, Function)} does, showing every {@link
     * io.raftbus.engine.core.Ready} to {@code readyObserver} (may be null).
     */
    public static Result run(long seed, Function<String, LogAPI> logFactory, ReadyObserver readyObserver) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int n = r.nextBoolean() ? 3 : 5;
        RaftConfig config = RaftConfig.builder()
                .electionTimeoutMs(150, 300)
                .heartbeatIntervalMs(50)
                .preVote(r.nextInt(4) != 0)
                .checkQuorum(r.nextInt(4) != 0)
                .maxEntriesPerAppend(r.nextBoolean() ? 1 : 1 + r.nextInt(16))
                .maxBytesPerAppend(64 + r.nextInt(1024))
                .maxInflightAppends(1 + r.nextInt(6))
                .maxPendingCommands(200)
                .forwardTimeoutMs(1_000)
                .build();
        NetworkFaults faults = new NetworkFaults(r.nextDouble() * 0.15, r.nextDouble() * 0.1, 1,
                2 + r.nextInt(40));
        Simulation.Builder builder = Simulation.builder(seed).nodes(n).config(config).faults(faults)
                .durableStateMachine(r.nextBoolean())
                .logFailureRate(r.nextInt(3) == 0 ? r.nextDouble() * 0.03 : 0)
                .readyObserver(readyObserver);
        if (logFactory != null) {
            builder.logFactory(logFactory);
        }
        Simulation sim = builder.build();
        List<String> ids = sim.nodeIds();

        long commandSeq = 0;
        while (sim.now() < FAULT_PHASE_MS) {
            sim.runFor(5 + r.nextInt(100));
            int action = r.nextInt(100);
            String node = ids.get(r.nextInt(n));
            if (action < 2) {
                sim.transferLeadership(node);
            } else if (action < 12) {
                sim.submitRead(node);
            } else if (action < 72) {
                sim.submit(node, command(seed, commandSeq++));
            } else if (action < 74) {
                // leader crashes are what the Figure 8 family of bugs needs
                sim.crash(sim.leader().orElse(node));
            } else if (action < 77) {
                sim.crash(node);
            } else if (action < 86) {
                sim.restart(node);
            } else if (action < 90) {
                List<String> side = new ArrayList<>();
                for (String id : ids) {
                    if (r.nextBoolean()) {
                        side.add(id);
                    }
                }
                sim.partition(side);
            } else if (action < 93) {
                sim.blockOneWay(node, ids.get(r.nextInt(n)));
            } else {
                sim.heal();
            }
        }

        sim.heal();
        for (String id : ids) {
            sim.restart(id);
        }
        sim.setFaults(NetworkFaults.NONE);
        if (!sim.runUntil(() -> sim.leader().isPresent(), LEADER_BOUND_MS)) {
            throw sim.violation("Liveness: no leader within " + LEADER_BOUND_MS + " ms after all faults healed");
        }
        long deadline = sim.now() + COMMIT_BOUND_MS;
        long probeId = -1;
        long probeSentAt = 0;
        int probes = 0;
        while (sim.now() < deadline) {
            Optional<String> leader = sim.leader();
            boolean retry = probeId < 0 || sim.outcome(probeId).status() == ProposalOutcome.Status.FAILED
                    || (sim.outcome(probeId).status() == ProposalOutcome.Status.PENDING
                        && sim.now() - probeSentAt >= PROBE_RETRY_MS);
            if (leader.isPresent() && retry) {
                // a client retries a command whose outcome it does not learn in time, as real clients do
                probeId = sim.submit(leader.get(), command(seed, -1 - probes++));
                probeSentAt = sim.now();
            }
            long id = probeId;
            boolean done = sim.runUntil(() -> id > 0
                    && sim.outcome(id).status() == ProposalOutcome.Status.COMMITTED
                    && appliedEverywhere(sim, sim.outcome(id).index()), 50);
            if (done) {
                if (!sim.runUntil(() -> sim.unresolvedProposals() == 0, RESOLVE_BOUND_MS)) {
                    throw sim.violation("Liveness: " + sim.unresolvedProposals() + " proposals still have no outcome "
                            + RESOLVE_BOUND_MS + " ms after the healed cluster committed a new command");
                }
                return new Result(seed, n, sim.committedIndex(), sim.deliveredMessages(), sim.now(), sim.logErrors(),
                        sim.outcomeCounts());
            }
        }
        throw sim.violation("Liveness: a command submitted to the leader was not applied on every node within "
                + COMMIT_BOUND_MS + " ms after all faults healed"
                + (probeId > 0 ? " (outcome " + sim.outcome(probeId) + ")" : ""));
    }

    private static boolean appliedEverywhere(Simulation sim, long index) {
        for (String id : sim.nodeIds()) {
            if (sim.lastApplied(id) < index) {
                return false;
            }
        }
        return true;
    }

    private static byte[] command(long seed, long seq) {
        return ("s" + seed + "c" + seq).getBytes(StandardCharsets.UTF_8);
    }
}
