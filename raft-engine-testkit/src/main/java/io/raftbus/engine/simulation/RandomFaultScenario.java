package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Membership;

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
 * seeds run on logs that fail a small fraction of calls, and half model a durable state machine. Safety invariants are
 * checked throughout by the {@link Simulation}.
 *
 * <p>With {@link Snapshots#ON}, every node also has a snapshot store, with small random thresholds (a snapshot every 5
 * to 200 entries, 0 to 50 trailing entries, chunks of 64 to 4,096 bytes, 1 to 4 in flight), on-demand snapshots at
 * random times, snapshot writes that are slow, fail, or are cut short by a crash (also right after they became durable),
 * slowed-down nodes (20 to 320 ms more per message, until the next heal) and crashes of the node furthest behind (the one likely to be installing a snapshot). These choices come from a
 * random stream of their own, so a run with {@link Snapshots#OFF} is exactly what it was before snapshots existed.
 * {@link SeedSweep} runs even seeds with snapshots and odd seeds without ({@link #sweepMode(long)}).
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
    /**
     * Whether leaders send a batch ahead of their own append ({@link RaftConfig#leaderAppendOverlapsSend()}): the
     * config's default unless {@code -Dsim.leaderAppendOverlapsSend} says otherwise ({@code false} runs, and
     * fingerprints, every seed as before the option existed).
     */
    static final boolean OVERLAP = Boolean.parseBoolean(System.getProperty("sim.leaderAppendOverlapsSend",
            String.valueOf(RaftConfig.defaults().leaderAppendOverlapsSend())));
    /**
     * How long leaders let a follower wait for a commit notice ({@link RaftConfig#commitNoticeDelayMs()}): the
     * config's default unless {@code -Dsim.commitNoticeDelayMs} says otherwise ({@code 0} runs, and fingerprints, every
     * seed as before the option existed).
     */
    static final long COMMIT_NOTICE_DELAY_MS = Long.getLong("sim.commitNoticeDelayMs",
            RaftConfig.defaults().commitNoticeDelayMs());
    /** With {@link #OVERLAP}: how often a leader crashes between sending a batch ahead and appending it. */
    static final double CRASH_BEFORE_EARLY_APPEND_RATE = 0.02;

    private RandomFaultScenario() {
    }

    /** Whether the nodes of a run have snapshot stores. */
    public enum Snapshots {
        /** No snapshot store: the run is exactly what it was before snapshots existed. */
        OFF,
        /** A snapshot store per node, with small random thresholds and snapshot faults. */
        ON
    }

    /**
     * What a passing run did, for reports; {@code crashesBeforeAppend}: leaders crashed between sending a batch ahead
     * and appending it.
     */
    public record Result(long seed, int nodes, long committed, long messages, long virtualMs, long logErrors,
                         Map<String, Long> outcomes, long crashesBeforeAppend) {
    }

    /** What a passing run did, with what its nodes did with snapshots (all zero with {@link Snapshots#OFF}). */
    public record SnapshotResult(Result result, Snapshots mode, Simulation.SnapshotStats snapshots) {
    }

    /** What a passing run with membership changes did, with what the changes did. */
    public record MembershipResult(SnapshotResult run, MembershipStats changes) {
    }

    /**
     * Runs the scenario for {@code seed} with random membership changes interleaved with every other fault (see
     * {@link MembershipFaults}): the cluster starts with 2 to 5 voters, from a random stream of its own, and the
     * liveness check after healing covers the members of the leader's configuration. With
     * {@code unsafeSkipTermCommitRule}, leaders propose changes before committing an entry of their term (the known
     * bug, for regression seeds only).
     */
    public static MembershipResult runWithMembershipChanges(long seed, Snapshots mode,
                                                            boolean unsafeSkipTermCommitRule) {
        return runWithMembershipChanges(seed, mode, unsafeSkipTermCommitRule, MembershipFaults.CHANGE_PERCENT);
    }

    /**
     * As {@link #runWithMembershipChanges(long, Snapshots, boolean)}, with a membership action at
     * {@code changePercent} percent of the fault-phase actions (12 by default; 100 proposes a change at every one,
     * right after elections too, which is what the known bug needs).
     */
    public static MembershipResult runWithMembershipChanges(long seed, Snapshots mode,
                                                            boolean unsafeSkipTermCommitRule, int changePercent) {
        return execute(seed, null, null, mode, null, true, unsafeSkipTermCommitRule, changePercent);
    }

    /**
     * As {@link #runWithMembershipChanges(long, Snapshots, boolean)} without the known bug, showing every event the
     * simulation handles to {@code traceObserver} (may be null), as {@code TraceMain --membership} does.
     */
    public static MembershipResult runWithMembershipChanges(long seed, Snapshots mode, TraceObserver traceObserver) {
        return execute(seed, null, null, mode, traceObserver, true, false, MembershipFaults.CHANGE_PERCENT);
    }

    /** The mode {@link SeedSweep} runs {@code seed} in: even seeds with snapshots, odd seeds without. */
    public static Snapshots sweepMode(long seed) {
        return seed % 2 == 0 ? Snapshots.ON : Snapshots.OFF;
    }

    /** Runs the scenario for {@code seed} with in-memory logs, without snapshots. */
    public static Result run(long seed) {
        return run(seed, null, null, Snapshots.OFF).result();
    }

    /** Runs the scenario for {@code seed} with in-memory logs, with or without snapshots. */
    public static SnapshotResult run(long seed, Snapshots mode) {
        return run(seed, null, null, mode);
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
        return run(seed, logFactory, readyObserver, Snapshots.OFF).result();
    }

    /**
     * Runs the scenario for {@code seed} as {@link #run(long, Function, ReadyObserver)} does, with snapshots if
     * {@code mode} is {@link Snapshots#ON} (the logs must then support compaction).
     */
    public static SnapshotResult run(long seed, Function<String, LogAPI> logFactory, ReadyObserver readyObserver,
                                     Snapshots mode) {
        return run(seed, logFactory, readyObserver, mode, null);
    }

    /**
     * Runs the scenario for {@code seed} as {@link #run(long, Function, ReadyObserver, Snapshots)} does, showing
     * every event the simulation handles to {@code traceObserver} (may be null), as {@code TraceMain} does.
     */
    public static SnapshotResult run(long seed, Function<String, LogAPI> logFactory, ReadyObserver readyObserver,
                                     Snapshots mode, TraceObserver traceObserver) {
        return execute(seed, logFactory, readyObserver, mode, traceObserver, false, false, 0).run();
    }

    private static MembershipResult execute(long seed, Function<String, LogAPI> logFactory,
                                            ReadyObserver readyObserver, Snapshots mode, TraceObserver traceObserver,
                                            boolean membershipChanges, boolean unsafeSkipTermCommitRule,
                                            int changePercent) {
        boolean snapshots = mode == Snapshots.ON;
        SplittableRandom sr = new SplittableRandom(seed ^ 0x736E617073686F74L);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        // membership choices come from a stream of their own: a run without them is exactly what it was before
        SplittableRandom mr = new SplittableRandom(seed ^ 0x6D656D62657273L);
        int n = r.nextBoolean() ? 3 : 5;
        if (membershipChanges) {
            n = 2 + mr.nextInt(4);
        }
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
                .leaderAppendOverlapsSend(OVERLAP)
                .commitNoticeDelayMs(COMMIT_NOTICE_DELAY_MS)
                .build();
        if (membershipChanges) {
            config = config.toBuilder().maxLearnerLagEntries(mr.nextInt(3) == 0 ? mr.nextInt(5) : 1_000).build();
        }
        if (snapshots) {
            config = config.toBuilder()
                    .snapshotEveryEntries(sr.nextBoolean() ? 5 + sr.nextInt(20) : 5 + sr.nextInt(196))
                    .snapshotEveryBytes(sr.nextInt(3) == 0 ? 256 + sr.nextInt(8192) : 0)
                    .logTrailingEntries(sr.nextBoolean() ? sr.nextInt(4) : sr.nextInt(51))
                    .snapshotChunkBytes(64 + sr.nextInt(4033))
                    .maxInflightSnapshotChunks(1 + sr.nextInt(4))
                    .build();
        }
        NetworkFaults faults = new NetworkFaults(r.nextDouble() * 0.15, r.nextDouble() * 0.1, 1,
                2 + r.nextInt(40));
        Simulation.Builder builder = Simulation.builder(seed).nodes(n).config(config).faults(faults)
                .durableStateMachine(r.nextBoolean())
                .logFailureRate(r.nextInt(3) == 0 ? r.nextDouble() * 0.03 : 0)
                .crashBeforeEarlyAppendRate(OVERLAP ? CRASH_BEFORE_EARLY_APPEND_RATE : 0)
                .readyObserver(readyObserver)
                .traceObserver(traceObserver)
                .traceSize(Integer.getInteger("sim.traceSize", 60))
                .unsafeSkipTermCommitRule(unsafeSkipTermCommitRule);
        if (snapshots) {
            builder.snapshots(true)
                    .snapshotWriteMaxDelayMs(1 + sr.nextInt(200))
                    .snapshotWriteFailureRate(sr.nextInt(4) == 0 ? 0.1 : 0)
                    .crashAfterSnapshotWriteRate(sr.nextInt(4) == 0 ? 0.05 : 0);
        }
        if (logFactory != null) {
            builder.logFactory(logFactory);
        }
        Simulation sim = builder.build();
        List<String> ids = sim.nodeIds();
        MembershipFaults changes = membershipChanges ? new MembershipFaults(sim, mr, changePercent) : null;

        long commandSeq = 0;
        while (sim.now() < FAULT_PHASE_MS) {
            sim.runFor(5 + r.nextInt(100));
            if (changes != null) {
                ids = sim.activeNodeIds();
            }
            int action = r.nextInt(100);
            String node = ids.get(r.nextInt(ids.size()));
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
                sim.blockOneWay(node, ids.get(r.nextInt(ids.size())));
            } else {
                sim.heal();
            }
            if (snapshots) {
                snapshotFaults(sim, sr, ids);
            }
            if (changes != null) {
                changes.step();
            }
        }

        sim.heal();
        for (String id : sim.activeNodeIds()) {
            sim.restart(id);
        }
        sim.setFaults(NetworkFaults.NONE);
        sim.setSnapshotWriteFaults(0, 0);
        sim.setCrashBeforeEarlyAppendRate(0);
        if (!sim.runUntil(() -> sim.leader().isPresent(), LEADER_BOUND_MS)) {
            throw sim.violation("Liveness: no leader within " + LEADER_BOUND_MS + " ms after all faults healed"
                    + (membershipChanges ? "; " + configurations(sim) : ""));
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
                    && appliedEverywhere(sim, sim.outcome(id).index(), membershipChanges), 50);
            if (done) {
                if (!sim.runUntil(() -> unresolvedOnMembers(sim, membershipChanges) == 0, RESOLVE_BOUND_MS)) {
                    throw sim.violation("Liveness: " + sim.unresolvedProposals() + " proposals still have no outcome "
                            + RESOLVE_BOUND_MS + " ms after the healed cluster committed a new command: "
                            + sim.unresolvedProposalIds());
                }
                long timeout = config.commandTimeoutMs();
                if (membershipChanges && !sim.runUntil(() -> sim.unresolvedProposals() == 0, timeout)) {
                    throw sim.violation("Liveness: " + sim.unresolvedProposals() + " proposals on nodes that are no"
                            + " members still have no outcome after commandTimeoutMs: " + sim.unresolvedProposalIds());
                }
                SnapshotResult run = new SnapshotResult(new Result(seed, n, sim.committedIndex(),
                        sim.deliveredMessages(), sim.now(), sim.logErrors(), sim.outcomeCounts(),
                        sim.crashesBeforeAppend()), mode,
                        sim.snapshotStats());
                if (changes != null) {
                    changes.settle();
                }
                return new MembershipResult(run, changes == null ? MembershipStats.NONE : changes.stats());
            }
        }
        throw sim.violation("Liveness: a command submitted to the leader was not applied on every node within "
                + COMMIT_BOUND_MS + " ms after all faults healed"
                + (probeId > 0 ? " (outcome " + sim.outcome(probeId) + ")" : "")
                + (membershipChanges ? "; " + configurations(sim) : ""));
    }

    /** Snapshot-specific faults, from their own random stream: on-demand snapshots, slow nodes, crashes mid-install. */
    private static void snapshotFaults(Simulation sim, SplittableRandom sr, List<String> ids) {
        int action = sr.nextInt(100);
        if (action < 4) {
            sim.requestSnapshot(ids.get(sr.nextInt(ids.size())));
        } else if (action < 6) {
            sim.slowDown(ids.get(sr.nextInt(ids.size())), 20 + sr.nextInt(300)); // until the next heal
        } else if (action < 7) {
            // the live node furthest behind is the one likely to be receiving a snapshot
            String behind = null;
            for (String id : ids) {
                if (sim.isUp(id) && (behind == null || sim.lastApplied(id) < sim.lastApplied(behind))) {
                    behind = id;
                }
            }
            if (behind != null && sim.lastApplied(behind) < sim.committedIndex()) {
                sim.crash(behind);
            }
        }
    }

    /** Each live node's role, term, commit index and configuration in force, for a liveness report. */
    private static String configurations(Simulation sim) {
        StringBuilder b = new StringBuilder("committed ").append(sim.committedMembership()).append(", in force:");
        for (String id : sim.activeNodeIds()) {
            sim.status(id).ifPresent(s -> b.append(' ').append(id).append('=').append(s.role()).append('/')
                    .append(s.term()).append(" commit ").append(s.commitIndex()).append(" log ")
                    .append(s.lastLogIndex()).append(' ').append(sim.membership(id).orElseThrow()).append(';'));
        }
        return b.toString();
    }

    /**
     * Proposals without an outcome on live nodes; with membership changes, only on members of the configuration in
     * force on the leader: a node removed by an entry another leader committed is not told of the commit (it gets
     * nothing from the leader any more), so its own proposals end only at {@code commandTimeoutMs}.
     */
    private static int unresolvedOnMembers(Simulation sim, boolean membershipChanges) {
        if (!membershipChanges) {
            return sim.unresolvedProposals();
        }
        Optional<String> leader = sim.leader();
        if (leader.isEmpty()) {
            return sim.unresolvedProposals();
        }
        Membership m = sim.membership(leader.get()).orElseThrow();
        int n = 0;
        for (Map.Entry<String, List<Long>> e : sim.unresolvedProposalIds().entrySet()) {
            if (m.voters().contains(e.getKey()) || m.learners().contains(e.getKey())) {
                n += e.getValue().size();
            }
        }
        return n;
    }

    /**
     * Whether every node applied {@code index}; with membership changes, every member (voter or learner) of the
     * configuration in force on the leader.
     */
    private static boolean appliedEverywhere(Simulation sim, long index, boolean membershipChanges) {
        List<String> ids = sim.nodeIds();
        if (membershipChanges) {
            Optional<String> leader = sim.leader();
            if (leader.isEmpty()) {
                return false;
            }
            Membership m = sim.membership(leader.get()).orElseThrow();
            ids = new ArrayList<>(m.voters());
            ids.addAll(m.learners());
        }
        for (String id : ids) {
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
