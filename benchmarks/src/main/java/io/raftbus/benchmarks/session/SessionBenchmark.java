package io.raftbus.benchmarks.session;

import io.raftbus.benchmarks.DiscardStateMachine;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.session.SessionClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Throughput of a 3-node in-memory cluster with client sessions against the same cluster without, in one run:
 * 100-byte commands submitted on the leader with a fixed number in flight, a state machine that does nothing. With
 * sessions the commands go through {@link SessionClient}s (several sessions, the same total in flight): each carries
 * the 35-byte envelope, is stamped by the leader, and goes through the session table at apply. Rounds alternate the
 * order; the report gives each round's commands/s and the median ratio.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests -Dbench.sessions} (options
 * {@code -Dbench.sessions.args="-Dbench.sessions.seconds=3 -Dbench.sessions.rounds=3 -Dbench.sessions.inflight=256"}).
 */
public final class SessionBenchmark {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private static final int COMMAND_BYTES = 100;
    private static final int SESSIONS = 4;

    private SessionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.sessions.seconds", "3"));
        int rounds = Integer.getInteger("bench.sessions.rounds", 3);
        int inFlight = Integer.getInteger("bench.sessions.inflight", 256);
        System.out.printf("client sessions vs none: 3 in-memory nodes, %d-byte commands, %d in flight, %.1f s per"
                + " measurement, %d rounds (order alternates), %d sessions%n", COMMAND_BYTES, inFlight, seconds,
                rounds, SESSIONS);
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            double plain;
            double sessions;
            if (round % 2 == 0) {
                plain = measure(false, inFlight, seconds);
                sessions = measure(true, inFlight, seconds);
            } else {
                sessions = measure(true, inFlight, seconds);
                plain = measure(false, inFlight, seconds);
            }
            ratios[round] = sessions / plain;
            System.out.printf("round %d: without %.0f commands/s, with sessions %.0f commands/s, ratio %.2f%n",
                    round + 1, plain, sessions, ratios[round]);
        }
        Arrays.sort(ratios);
        System.out.printf("median ratio (sessions / without): %.2f (range %.2f-%.2f)%n", ratios[rounds / 2],
                ratios[0], ratios[rounds - 1]);
        System.exit(0);
    }

    /** Commands/s over {@code seconds} after a warm-up of a second, on a fresh cluster. */
    private static double measure(boolean sessions, int inFlight, double seconds) throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        List<RaftNode> nodes = new ArrayList<>();
        for (String id : MEMBERS.stream().sorted().toList()) {
            RaftNode.Builder b = RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("bench-sessions")
                    .config(RaftConfig.defaults()).transport(network.transport(id)).log(new InMemoryLog())
                    .stateMachine(DiscardStateMachine.INSTANCE);
            if (sessions) {
                b.sessions(600_000);
            }
            nodes.add(b.build());
        }
        nodes.forEach(RaftNode::start);
        try {
            RaftNode leader = awaitLeader(nodes);
            byte[] payload = new byte[COMMAND_BYTES];
            Function<Integer, CompletableFuture<byte[]>> submit;
            if (sessions) {
                List<SessionClient> clients = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    clients.add(SessionClient.open(leader, 30_000).get(30, TimeUnit.SECONDS));
                }
                submit = n -> clients.get(n % SESSIONS).submit(payload);
            } else {
                submit = n -> leader.submit(payload);
            }
            run(submit, inFlight, 1.0);
            return run(submit, inFlight, seconds);
        } finally {
            nodes.forEach(RaftNode::close);
        }
    }

    private static double run(Function<Integer, CompletableFuture<byte[]>> submit, int inFlight, double seconds)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end) {
            if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            submit.apply(n++).whenComplete((r, e) -> {
                if (e == null) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                permits.release();
            });
        }
        long counted = done.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        permits.acquire(inFlight); // drain before the cluster closes
        if (failed.get() > 0) {
            System.out.println("  (" + failed.get() + " commands failed)");
        }
        return counted / elapsed;
    }

    private static RaftNode awaitLeader(List<RaftNode> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (RaftNode node : nodes) {
                if (node.status().isLeader()) {
                    return node;
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no leader within 30 s");
    }
}
