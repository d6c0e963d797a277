package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.session.SessionLimits;
import io.raftbus.engine.session.SessionReply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One randomized run with client sessions, fully determined by its seed: a 3- or 5-node cluster running
 * {@link Simulation.Builder#sessions} (half the seeds with snapshots, half with a short idle timeout so sessions
 * expire) serves 2 to 5 session clients through a fault phase (loss, duplication, reordering, partitions, crashes
 * and restarts, leadership transfers, snapshot faults). Each client registers, then submits commands one at a time
 * and retries each with the same (session, seq) to a random node, or the leader it last reached, whenever an attempt
 * fails or stays unanswered; a retry may be appended while an earlier copy is still on its way. Half the seeds run
 * with small {@link io.raftbus.engine.session.SessionLimits} (fewer sessions than clients, so registrations evict;
 * one to three held results, while some clients acknowledge lazily, so commands are refused), and clients now and
 * then close their session and register a new one.
 *
 * <p>Checked: each (session, seq) is applied at most once, at one index, on every node ({@link SimSessions}); every
 * APPLIED answer a client gets names that one application; no client is told ALREADY_ACKNOWLEDGED for a command it
 * is still waiting for; and, after the faults heal, every client gets an answer (or learns its session expired)
 * within a bound. All Raft-level invariants of the {@link Simulation} hold as usual.
 */
public final class SessionScenario {

    /** Virtual time of the fault phase. */
    public static final long FAULT_PHASE_MS = 8_000;
    /** After healing, every client's current command must be answered within this much virtual time. */
    public static final long ANSWER_BOUND_MS = 10_000;

    private SessionScenario() {
    }

    /** What a passing run did. */
    public record Result(long seed, int nodes, int clients, boolean snapshots, long idleTimeoutMs, long answered,
                         long retries, long expiredSessions, long registrations, long committed, long closes,
                         long refusals) {
    }

    /** One client: its session, the command it waits for, and every attempt of that command. */
    private static final class Client {
        final int number;
        long sessionId;
        long seq;
        /** Proposal ids of the attempts of the current command (or registration). */
        final List<Long> attempts = new ArrayList<>();
        long lastSentAt;
        long retryAfterMs;
        String lastLeader;
        long answered;
        long retries;
        long expired;
        long registrations;
        /** How far behind its acknowledgements lag (0: it acknowledges everything it has). */
        final int ackLag;
        /** The current request closes the session. */
        boolean closing;
        long closes;
        long refusals;

        Client(int number, int ackLag) {
            this.number = number;
            this.ackLag = ackLag;
        }

        boolean registered() {
            return sessionId > 0;
        }
    }

    /**
     * Runs the scenario for {@code seed}.
     *
     * @throws InvariantViolation if a safety invariant or the liveness check fails
     */
    public static Result run(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x53455353L);
        boolean snapshots = seed % 2 == 0;
        int n = r.nextBoolean() ? 3 : 5;
        long idle = r.nextBoolean() ? 1_000_000_000L : 500 + r.nextInt(4_000);
        long forwardTimeoutMs = 200 + r.nextInt(1_000);
        SplittableRandom extra = new SplittableRandom(seed ^ 0x4341505343L); // caps and closes, drawn apart from r
        RaftConfig config = RaftConfig.builder()
                .electionTimeoutMs(150, 300)
                .heartbeatIntervalMs(50)
                .preVote(r.nextInt(4) != 0)
                .checkQuorum(r.nextInt(4) != 0)
                .maxEntriesPerAppend(1 + r.nextInt(16))
                .maxBytesPerAppend(256 + r.nextInt(2048))
                .maxInflightAppends(1 + r.nextInt(6))
                .maxPendingCommands(200)
                .forwardTimeoutMs(forwardTimeoutMs)
                .commandTimeoutMs(forwardTimeoutMs + r.nextInt(2_000))
                .build();
        if (snapshots) {
            config = config.toBuilder()
                    .snapshotEveryEntries(5 + r.nextInt(60))
                    .logTrailingEntries(r.nextInt(10))
                    .snapshotChunkBytes(64 + r.nextInt(2_000))
                    .maxInflightSnapshotChunks(1 + r.nextInt(4))
                    .build();
        }
        NetworkFaults faults = new NetworkFaults(r.nextDouble() * 0.15, r.nextDouble() * 0.15, 1, 2 + r.nextInt(40));
        Simulation.Builder builder = Simulation.builder(seed).nodes(n).config(config).faults(faults)
                .durableStateMachine(r.nextInt(4) == 0)
                .sessions(idle)
                .traceSize(Integer.getInteger("sim.traceSize", 60));
        if (snapshots) {
            builder.snapshots(true).snapshotWriteMaxDelayMs(1 + r.nextInt(100))
                    .snapshotWriteFailureRate(r.nextInt(4) == 0 ? 0.1 : 0)
                    .crashAfterSnapshotWriteRate(r.nextInt(4) == 0 ? 0.05 : 0);
        }
        boolean smallLimits = extra.nextBoolean();
        int plannedClients = 2 + r.nextInt(4);
        if (smallLimits) {
            builder.sessionLimits(new SessionLimits(1 + extra.nextInt(plannedClients), 1 + extra.nextInt(3)));
        }
        Simulation sim = builder.build();
        List<String> ids = sim.nodeIds();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < plannedClients; i++) {
            clients.add(new Client(i, smallLimits ? extra.nextInt(4) : 0));
        }

        while (sim.now() < FAULT_PHASE_MS) {
            sim.runFor(5 + r.nextInt(60));
            for (Client c : clients) {
                serve(sim, r, extra, c, ids);
            }
            int action = r.nextInt(100);
            String node = ids.get(r.nextInt(n));
            if (action < 2) {
                sim.transferLeadership(node);
            } else if (action < 4) {
                sim.crash(sim.leader().orElse(node));
            } else if (action < 7) {
                sim.crash(node);
            } else if (action < 16) {
                sim.restart(node);
            } else if (action < 19) {
                List<String> side = new ArrayList<>();
                for (String id : ids) {
                    if (r.nextBoolean()) {
                        side.add(id);
                    }
                }
                sim.partition(side);
            } else if (action < 21) {
                sim.blockOneWay(node, ids.get(r.nextInt(n)));
            } else if (action < 26) {
                sim.heal();
            } else if (snapshots && action < 29) {
                sim.requestSnapshot(node);
            }
        }

        sim.heal();
        for (String id : ids) {
            sim.restart(id);
        }
        sim.setFaults(NetworkFaults.NONE);
        sim.setSnapshotWriteFaults(0, 0);
        long[] answeredAtHeal = new long[clients.size()];
        for (int i = 0; i < clients.size(); i++) {
            answeredAtHeal[i] = clients.get(i).answered;
        }
        long deadline = sim.now() + ANSWER_BOUND_MS;
        while (sim.now() < deadline) {
            sim.runFor(20);
            boolean all = true;
            for (int i = 0; i < clients.size(); i++) {
                Client c = clients.get(i);
                serve(sim, r, extra, c, ids);
                all &= c.answered > answeredAtHeal[i];
            }
            if (all) {
                long answered = 0;
                long retries = 0;
                long expired = 0;
                long registrations = 0;
                long closes = 0;
                long refusals = 0;
                for (Client c : clients) {
                    answered += c.answered;
                    retries += c.retries;
                    expired += c.expired;
                    registrations += c.registrations;
                    closes += c.closes;
                    refusals += c.refusals;
                }
                return new Result(seed, n, clients.size(), snapshots, idle, answered, retries, expired,
                        registrations, sim.committedIndex(), closes, refusals);
            }
        }
        StringBuilder waiting = new StringBuilder();
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            if (c.answered == answeredAtHeal[i]) {
                waiting.append(" client ").append(c.number).append(" (session ").append(c.sessionId).append(" seq ")
                        .append(c.seq).append(", ").append(c.attempts.size()).append(" attempts)");
            }
        }
        throw sim.violation("Liveness: after all faults healed, no answer within " + ANSWER_BOUND_MS + " ms for"
                + waiting);
    }

    /** Checks the client's attempts for an answer; starts its next command or retries the current one. */
    private static void serve(Simulation sim, SplittableRandom r, SplittableRandom extra, Client c,
                              List<String> ids) {
        if (!c.attempts.isEmpty()) {
            boolean anyPending = false;
            for (long id : c.attempts) {
                ProposalOutcome o = sim.outcome(id);
                if (o.status() == ProposalOutcome.Status.COMMITTED) {
                    answer(sim, c, SessionReply.decode(sim.result(id)));
                    return;
                }
                anyPending |= o.status() == ProposalOutcome.Status.PENDING;
            }
            if (anyPending && sim.now() - c.lastSentAt < c.retryAfterMs) {
                return; // wait a little longer for an answer
            }
            c.retries++;
        } else if (!c.registered()) {
            c.registrations++;
        } else if (extra.nextInt(25) == 0) {
            c.closing = true; // close the session instead of a next command, then register a new one
        } else {
            c.seq++;
        }
        send(sim, r, c, ids);
    }

    private static void send(Simulation sim, SplittableRandom r, Client c, List<String> ids) {
        byte[] command;
        if (c.closing) {
            // attempts differ in bytes (a label the table ignores), as the Raft-level checks need
            command = new SessionEnvelope(SessionEnvelope.Kind.CLOSE, 0, c.sessionId, 0, 0,
                    ("close:" + c.attempts.size()).getBytes(StandardCharsets.UTF_8)).encode();
        } else if (!c.registered()) {
            command = SessionEnvelope.register(("client" + c.number + ":" + c.registrations + ":"
                    + c.attempts.size()).getBytes(StandardCharsets.UTF_8)).encode();
        } else {
            byte[] payload = (c.sessionId + ":" + c.seq + ":" + c.attempts.size()).getBytes(StandardCharsets.UTF_8);
            command = SessionEnvelope.command(c.sessionId, c.seq, Math.max(1, c.seq - c.ackLag), payload).encode();
        }
        Optional<String> leader = sim.leader();
        leader.ifPresent(l -> c.lastLeader = l);
        String target = c.lastLeader != null && r.nextInt(3) != 0 ? c.lastLeader : ids.get(r.nextInt(ids.size()));
        c.attempts.add(sim.submit(target, command));
        c.lastSentAt = sim.now();
        c.retryAfterMs = 100 + r.nextInt(1_500);
    }

    private static void answer(Simulation sim, Client c, SessionReply reply) {
        if (c.closing) {
            if (reply.status() != SessionReply.Status.CLOSED && reply.status() != SessionReply.Status.UNKNOWN_SESSION) {
                throw sim.violation("Sessions: client " + c.number + " closing session " + c.sessionId + " got "
                        + reply.status());
            }
            c.closing = false;
            c.closes++;
            c.answered++;
            c.sessionId = 0;
            c.attempts.clear();
            return;
        }
        switch (reply.status()) {
            case REGISTERED -> {
                if (c.registered()) {
                    throw sim.violation("Sessions: client " + c.number + " got a registration answer while in session "
                            + c.sessionId);
                }
                c.sessionId = reply.value();
                c.seq = 0;
            }
            case APPLIED -> {
                long first = sim.firstApplication(c.sessionId, c.seq);
                long named = SimSessions.resultOf(reply.result());
                if (first < 0 || named != first) {
                    throw sim.violation("Sessions: client " + c.number + " session " + c.sessionId + " seq " + c.seq
                            + " was answered with the application at index " + named + " but it was applied at "
                            + first);
                }
                c.answered++;
            }
            case TOO_MANY_UNACKNOWLEDGED -> {
                if (c.ackLag == 0) {
                    // a client that acknowledges everything holds at most its current command's result
                    throw sim.violation("Sessions: client " + c.number + " session " + c.sessionId + " seq " + c.seq
                            + " was refused for too many held results, but the client acknowledged all others");
                }
                c.refusals++;
                c.answered++; // refused, this copy not applied; the client moves on
            }
            case UNKNOWN_SESSION -> {
                c.expired++;
                c.answered++;
                c.sessionId = 0; // a new session next; the command's outcome is unknown to this client
            }
            default -> throw sim.violation("Sessions: client " + c.number + " session " + c.sessionId + " seq " + c.seq
                    + " got " + reply.status() + " while still waiting for its answer");
        }
        c.attempts.clear();
    }
}
