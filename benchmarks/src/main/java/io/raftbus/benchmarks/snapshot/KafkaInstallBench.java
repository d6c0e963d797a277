package io.raftbus.benchmarks.snapshot;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Part 3 of {@link SnapshotBenchmark}: how long a follower far behind takes to catch up through a large snapshot
 * over Kafka. Three nodes (KafkaTransport on an {@link EmbeddedKafkaBroker} in this JVM, SqliteLog FULL, a
 * FileSnapshotStore each, snapshots on demand only, logTrailingEntries {@value #TRAILING_ENTRIES}); one follower is closed; the leader applies {@code slots}
 * commands of {@code valueBytes} bytes (one per slot, so the state is about {@code slots × valueBytes}), takes a
 * snapshot and compacts its log; then the follower is restarted over its old log and store with an empty state
 * machine, and the time from its {@code start()} to leader contact, to the snapshot installed and to
 * applied == the leader's commit index is measured. The follower's state must then equal the leader's (digest).
 */
final class KafkaInstallBench {

    private static final String CLUSTER = "bench-snapshot-install";
    private static final Set<String> IDS = Set.of("n1", "n2", "n3");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int FILL_IN_FLIGHT = 256;
    /** Entries the leader keeps before its snapshot: fewer than the fill, so the follower needs the snapshot. */
    private static final long TRAILING_ENTRIES = 1_000;

    private final Path dir;
    private final int slots;
    private final int valueBytes;
    private final Integer chunkBytes;
    private final Integer inflightChunks;

    KafkaInstallBench(Path dir, int slots, int valueBytes, Integer chunkBytes, Integer inflightChunks) {
        this.dir = dir;
        this.slots = slots;
        this.valueBytes = valueBytes;
        this.chunkBytes = chunkBytes;
        this.inflightChunks = inflightChunks;
    }

    void run() throws Exception {
        System.out.printf("%n== 3. snapshot install over Kafka: 3 nodes, KafkaTransport (embedded broker) + SqliteLog"
                        + " (FULL) + FileSnapshotStore; state %,d slots × %,d bytes (~%,d MB); load average %s%n",
                slots, valueBytes, (long) slots * valueBytes >> 20, BenchSupport.loadAverage());
        BenchSupport.deleteRecursively(dir);
        Files.createDirectories(dir);
        RaftConfig.Builder configBuilder = RaftConfig.builder().snapshotEveryEntries(0).snapshotEveryBytes(0)
                .logTrailingEntries(TRAILING_ENTRIES);
        if (chunkBytes != null) {
            configBuilder.snapshotChunkBytes(chunkBytes);
        }
        if (inflightChunks != null) {
            configBuilder.maxInflightSnapshotChunks(inflightChunks);
        }
        RaftConfig config = configBuilder.build();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            SlotCluster cluster = SlotCluster.start("kafka", IDS, id -> member(id, broker, config));
            try {
                RaftNode firstLeader = cluster.awaitLeader(TIMEOUT, Set.of());
                String behind = IDS.stream().sorted().filter(id -> !id.equals(firstLeader.nodeId())).findFirst()
                        .orElseThrow();
                RaftStatus before = cluster.member(behind).node().status();
                cluster.stop(behind);
                System.out.printf("leader %s; %s closed at applied index %,d; chunks: %,d bytes, at most %d in"
                                + " flight (the leader's effective config)%n", firstLeader.nodeId(), behind,
                        before.lastApplied(), firstLeader.config().snapshotChunkBytes(),
                        firstLeader.config().maxInflightSnapshotChunks());
                long t = System.nanoTime();
                RaftNode leader = fill(cluster, behind);
                System.out.printf("filled the state with %,d commands in %.1f s%n", slots,
                        (System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                SnapshotInfo snapshot = leader.takeSnapshot().get(10, TimeUnit.MINUTES);
                RaftStatus leaderStatus = leader.status();
                System.out.printf("leader's snapshot at %,d: %,d bytes, taken in %.1f s; leader log now holds %,d"
                                + " entries from %,d%n", snapshot.index(), snapshot.sizeBytes(),
                        (System.nanoTime() - t) / 1e9, leaderStatus.logEntries(), leaderStatus.firstLogIndex());
                long commit = leaderStatus.commitIndex();
                System.out.printf("load average before the restart: %s%n", BenchSupport.loadAverage());

                SlotCluster.Member restarted = member(behind, broker, config);
                long begin = System.nanoTime();
                cluster.restart(behind, restarted);
                long started = System.nanoTime();
                RaftNode node = restarted.node();
                long contact = BenchSupport.awaitStatus(node, s -> s.leaderId() != null, TIMEOUT, "leader known");
                long installed = BenchSupport.awaitStatus(node, s -> s.snapshotIndex() >= snapshot.index(), TIMEOUT,
                        "snapshot installed");
                long applied = BenchSupport.awaitStatus(node, s -> s.lastApplied() >= commit, TIMEOUT,
                        "applied up to the leader's commit index " + commit);
                double mb = snapshot.sizeBytes() / 1e6;
                double toInstalled = (installed - begin) / 1e9;
                double toApplied = (applied - begin) / 1e9;
                double fromContact = (applied - contact) / 1e9;
                System.out.printf("restart of %s: start() %.2f s, leader contact %.2f s, snapshot installed %.2f s,"
                                + " applied == commit (%,d) %.2f s after start()%n", behind, (started - begin) / 1e9,
                        (contact - begin) / 1e9, toInstalled, commit, toApplied);
                System.out.printf("%.1f MB snapshot: %.1f MB/s from start() to applied, %.1f MB/s from leader"
                                + " contact to applied; load average %s%n", mb, mb / toApplied, mb / fromContact,
                        BenchSupport.loadAverage());
                RaftNode currentLeader = cluster.awaitLeader(TIMEOUT, Set.of());
                long leaderApplied = currentLeader.status().lastApplied();
                BenchSupport.awaitStatus(node, s -> s.lastApplied() >= leaderApplied, TIMEOUT, "caught up");
                cluster.close();
                long leaderDigest = cluster.member(leader.nodeId()).state().digest();
                if (restarted.state().digest() != leaderDigest) {
                    throw new IllegalStateException(behind + " ended in another state than the leader");
                }
                System.out.println("the restarted follower's state equals the leader's (digest)");
            } finally {
                cluster.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    private SlotCluster.Member member(String id, EmbeddedKafkaBroker broker, RaftConfig config) {
        SlotStateMachine state = new SlotStateMachine(slots);
        KafkaTransport transport = new KafkaTransport(KafkaTransportConfig.builder()
                .bootstrapServers(broker.bootstrapServers()).clusterId(CLUSTER).members(IDS).build());
        SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), CLUSTER, id,
                SqliteLogOptions.defaults().withDurability(Durability.FULL));
        RaftNode node = RaftNode.builder().nodeId(id).members(IDS).clusterId(CLUSTER).config(config)
                .transport(transport).log(log).stateMachine(state).snapshotDirectory(dir.resolve(id + "-snapshots"))
                .build();
        return new SlotCluster.Member(node, state);
    }

    /**
     * One command per slot on the leader, {@value #FILL_IN_FLIGHT} in flight. Writing a slot again with the same
     * value changes nothing, so commands that failed (for example a leader change under load) are simply submitted
     * again to the leader of the moment, pass after pass. Returns the leader that applied the last pass.
     */
    private RaftNode fill(SlotCluster cluster, String stopped) throws Exception {
        List<Integer> pending = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            pending.add(slot);
        }
        for (int pass = 1; pass <= 20; pass++) {
            RaftNode leader = cluster.awaitLeader(TIMEOUT, Set.of(stopped));
            Queue<Integer> failed = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            Semaphore permits = new Semaphore(FILL_IN_FLIGHT);
            AtomicLong done = new AtomicLong();
            long nextReport = System.nanoTime() + 10_000_000_000L;
            for (int slot : pending) {
                permits.acquire();
                if (System.nanoTime() > nextReport) {
                    System.out.printf("  fill pass %d: %,d of %,d commands done%n", pass, done.get(), pending.size());
                    nextReport = System.nanoTime() + 10_000_000_000L;
                }
                leader.submit(SlotStateMachine.command(slot, valueBytes, 1)).whenComplete((r, e) -> {
                    if (e != null) {
                        failed.add(slot);
                        firstFailure.compareAndSet(null, e);
                    }
                    done.incrementAndGet();
                    permits.release();
                });
            }
            if (!permits.tryAcquire(FILL_IN_FLIGHT, 5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("fill: commands outstanding after 5 minutes");
            }
            if (failed.isEmpty()) {
                return leader;
            }
            System.out.printf("  fill pass %d on %s: %,d commands failed (first: %s); submitting them again%n", pass,
                    leader.nodeId(), failed.size(), firstFailure.get());
            pending = failed.stream().sorted().toList();
        }
        throw new IllegalStateException("fill: commands still failing after 20 passes");
    }
}
