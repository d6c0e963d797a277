package io.raftbus.benchmarks.membership;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import io.raftbus.benchmarks.snapshot.SlotStateMachine;
import io.raftbus.engine.MembershipChangeRefusedException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The cluster a node joins: three voters n1–n3 on an {@link InMemoryNetwork}, each with a {@link SqliteLog}
 * ({@link Durability#FULL}) and a {@link SlotStateMachine}, with a {@code FileSnapshotStore} each (default snapshot
 * policy) or without any snapshot store. Fills the state through the leader, starts joining nodes (join mode, empty
 * log and store) and removes them again. {@link #close()} closes every node.
 */
final class JoinCluster implements AutoCloseable {

    static final Set<String> VOTERS = Set.of("n1", "n2", "n3");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int FILL_IN_FLIGHT = 256;

    /** A node started to join, with its state and the tap on its transport. */
    record Joiner(String id, RaftNode node, SlotStateMachine state, SnapshotTap tap) {
    }

    private final Path dir;
    private final boolean snapshots;
    private final int slots;
    private final RaftConfig config;
    private final String clusterId;
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final Map<String, RaftNode> voters = new LinkedHashMap<>();
    private final Map<String, SlotStateMachine> states = new LinkedHashMap<>();

    private JoinCluster(Path dir, boolean snapshots, int slots, RaftConfig config) {
        this.dir = dir;
        this.snapshots = snapshots;
        this.slots = slots;
        this.config = config;
        this.clusterId = snapshots ? "bench-join-snapshots" : "bench-join-no-snapshots";
    }

    /** Builds and starts n1–n3 in {@code dir}. */
    static JoinCluster start(Path dir, boolean snapshots, int slots, RaftConfig config) {
        JoinCluster cluster = new JoinCluster(dir, snapshots, slots, config);
        try {
            for (String id : VOTERS.stream().sorted().toList()) {
                SlotStateMachine state = new SlotStateMachine(slots);
                cluster.states.put(id, state);
                cluster.voters.put(id, cluster.builder(id, state, cluster.network.transport(id)).build());
            }
            cluster.voters.values().forEach(RaftNode::start);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    boolean snapshots() {
        return snapshots;
    }

    private RaftNode.Builder builder(String id, SlotStateMachine state, io.raftbus.engine.spi.Transport transport) {
        SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), clusterId, id,
                SqliteLogOptions.defaults().withDurability(Durability.FULL));
        RaftNode.Builder b = RaftNode.builder().nodeId(id).members(VOTERS).clusterId(clusterId).config(config)
                .transport(transport).log(log).stateMachine(state);
        if (snapshots) {
            b.snapshotDirectory(dir.resolve(id + "-snapshots"));
        }
        return b;
    }

    /** The leader of the moment among n1–n3, waiting (up to 5 minutes) until one is known. */
    RaftNode leader() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (RaftNode node : voters.values()) {
                if (node.status().isLeader()) {
                    return node;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        throw new IllegalStateException("no leader among " + voters.keySet() + " within " + TIMEOUT);
    }

    SlotStateMachine state(String id) {
        return states.get(id);
    }

    /**
     * Commits {@code commands} 100-byte commands through the leader, {@value #FILL_IN_FLIGHT} in flight; command
     * {@code i} writes slot {@code i mod slots}. A command that failed is submitted again (writing a slot with the
     * same value twice changes nothing), pass after pass.
     */
    void fill(long commands) throws InterruptedException {
        List<Long> pending = new ArrayList<>();
        for (long i = 0; i < commands; i++) {
            pending.add(i);
        }
        for (int pass = 1; pass <= 20; pass++) {
            RaftNode leader = leader();
            Queue<Long> failed = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            Semaphore permits = new Semaphore(FILL_IN_FLIGHT);
            for (long i : pending) {
                permits.acquire();
                leader.submit(SlotStateMachine.command(i % slots, ClientLoad.COMMAND_BYTES, 0)).whenComplete((r, e) -> {
                    if (e != null) {
                        failed.add(i);
                        firstFailure.compareAndSet(null, e);
                    }
                    permits.release();
                });
            }
            if (!permits.tryAcquire(FILL_IN_FLIGHT, 5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("fill: commands outstanding after 5 minutes");
            }
            if (failed.isEmpty()) {
                return;
            }
            System.out.printf("  fill pass %d on %s: %,d commands failed (first: %s); submitting them again%n", pass,
                    leader.nodeId(), failed.size(), firstFailure.get());
            pending = failed.stream().sorted().toList();
        }
        throw new IllegalStateException("fill: commands still failing after 20 passes");
    }

    /** Builds and starts {@code id} in join mode (empty log and store), the current voters as its members. */
    Joiner startJoiner(String id) {
        SlotStateMachine state = new SlotStateMachine(slots);
        SnapshotTap tap = new SnapshotTap(network.transport(id));
        RaftNode node = builder(id, state, tap).join(true).build();
        node.start();
        return new Joiner(id, node, state, tap);
    }

    /**
     * Removes {@code joiner} from the configuration (retrying while the leader refuses because a change is in
     * progress), closes it and deletes its files.
     */
    void remove(Joiner joiner) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RaftNode leader = leader();
            if (!leader.status().voters().contains(joiner.id()) && !leader.status().learners().contains(joiner.id())) {
                break;
            }
            try {
                leader.removeMember(joiner.id()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (ExecutionException | CompletionException e) {
                if (!(e.getCause() instanceof MembershipChangeRefusedException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            } catch (TimeoutException e) {
                throw new IllegalStateException("removing " + joiner.id() + " took over " + TIMEOUT, e);
            }
        }
        joiner.node().close();
        try {
            BenchSupport.deleteRecursively(dir.resolve(joiner.id() + "-snapshots"));
            for (String suffix : new String[] {".db", ".db-wal", ".db-shm"}) {
                java.nio.file.Files.deleteIfExists(dir.resolve(joiner.id() + suffix));
            }
        } catch (IOException e) {
            System.err.println("could not delete " + joiner.id() + "'s files: " + e);
        }
    }

    /** The status of every voter, one line each (log length, snapshot, configuration). */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (RaftNode node : voters.values()) {
            RaftStatus s = node.status();
            sb.append(String.format("  %s %s: last index %,d, commit %,d, snapshot at %,d, log holds %,d entries%n",
                    s.nodeId(), s.role(), s.lastLogIndex(), s.commitIndex(), s.snapshotIndex(), s.logEntries()));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (RaftNode node : voters.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + node.nodeId() + ": " + e);
            }
        }
    }
}
