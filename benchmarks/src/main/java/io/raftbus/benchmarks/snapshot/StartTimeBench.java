package io.raftbus.benchmarks.snapshot;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Part 1 of {@link SnapshotBenchmark}: how long a single-member node on a {@link SqliteLog} of {@code entries}
 * applied commands takes from opening its log to having applied all of them again, with and without a snapshot.
 *
 * <p>The log is written once, directly through the LogAPI in batches of 1024 (term 1, 100-byte commands for a
 * {@link SlotStateMachine}). "Without": a copy of it, no snapshot store: the node replays the whole log into an empty
 * state machine. "With": a copy in which the snapshot a node would have taken at {@code entries - tail} sits in a
 * {@link FileSnapshotStore} (written from the same state machine applied outside any node) and the log is compacted
 * through that index minus {@code logTrailingEntries}, as the node does; the node restores the state from the
 * snapshot and replays the {@code tail} entries after it. Every round starts from fresh copies (warm page cache
 * for both), the two variants alternate which goes first, automatic snapshots are off during the measurement, and
 * both variants must end in the same state (checked by a digest).
 */
final class StartTimeBench {

    private static final String CLUSTER = "bench-snapshot-start";
    private static final String NODE = "n1";
    private static final int BATCH = 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Path dir;
    private final long entries;
    private final long tail;
    private final int slots;
    private final int rounds;

    StartTimeBench(Path dir, long entries, long tail, int slots, int rounds) {
        this.dir = dir;
        this.entries = entries;
        this.tail = tail;
        this.slots = slots;
        this.rounds = rounds;
    }

    void run() throws Exception {
        System.out.printf("%n== 1. start time, SqliteLog (FULL) of %,d applied 100-byte commands, %,d slots; with a"
                + " snapshot at %,d (tail %,d replayed) vs without; %d rounds; load average %s%n", entries, slots,
                entries - tail, tail, rounds, BenchSupport.loadAverage());
        BenchSupport.deleteRecursively(dir);
        Path without = dir.resolve("template-without");
        Path with = dir.resolve("template-with");
        Files.createDirectories(without);
        long t = System.nanoTime();
        SlotStateMachine atSnapshot = writeLog(without.resolve("log.db"));
        System.out.printf("wrote the %,d-entry log (%,d MB) in %.1f s%n", entries,
                Files.size(without.resolve("log.db")) >> 20, (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        SnapshotInfo snapshot = prepareSnapshot(without, with, atSnapshot);
        System.out.printf("prepared the snapshot at %,d (%,d bytes) and compacted the copy's log through %,d in"
                        + " %.1f s%n", snapshot.index(), snapshot.sizeBytes(),
                snapshot.index() - RaftConfig.defaults().logTrailingEntries(), (System.nanoTime() - t) / 1e9);

        double[][] startMs = new double[2][rounds];
        double[][] appliedMs = new double[2][rounds];
        long[] digests = new long[2];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int variant = (k + round) % 2; // 0 without, 1 with
                Path template = variant == 0 ? without : with;
                Path run = dir.resolve("run");
                BenchSupport.copyTree(template, run);
                StartRun times = startOnce(run, variant == 1);
                startMs[variant][round] = times.startMs();
                appliedMs[variant][round] = times.appliedMs();
                if (digests[variant] != 0 && digests[variant] != times.digest()) {
                    throw new IllegalStateException("round " + (round + 1) + " ended in another state than before");
                }
                digests[variant] = times.digest();
                System.out.printf("round %d %-16s start() returned after %,9.1f ms, all %,d applied after %,9.1f ms"
                                + "%n", round + 1, variant == 0 ? "without snapshot" : "with snapshot", times.startMs(),
                        entries, times.appliedMs());
            }
        }
        if (digests[0] != digests[1]) {
            throw new IllegalStateException("the node restored from the snapshot ended in another state than the"
                    + " one that replayed the whole log");
        }
        double without50 = BenchSupport.median(appliedMs[0]);
        double with50 = BenchSupport.median(appliedMs[1]);
        System.out.println();
        System.out.println("| start of a node with 1,000,000 applied entries | start() returns, ms (min–max) |"
                + " all applied, ms (min–max) | × without |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| without snapshot (whole log replayed) | %,.1f (%s) | %,.0f (%s) | 1.00 |%n",
                BenchSupport.median(startMs[0]), BenchSupport.range(startMs[0], "%,.1f"), without50,
                BenchSupport.range(appliedMs[0], "%,.0f"));
        System.out.printf("| with snapshot at %,d (%,d entries replayed) | %,.1f (%s) | %,.0f (%s) | %.3f |%n",
                snapshot.index(), tail, BenchSupport.median(startMs[1]), BenchSupport.range(startMs[1], "%,.1f"),
                with50, BenchSupport.range(appliedMs[1], "%,.0f"), with50 / without50);
        System.out.printf("speed-up %.1f×; load average at end %s%n", without50 / with50, BenchSupport.loadAverage());
        BenchSupport.deleteRecursively(dir);
    }

    /** Writes the log; returns a state machine that applied the entries up to the snapshot index. */
    private SlotStateMachine writeLog(Path file) {
        SlotStateMachine atSnapshot = new SlotStateMachine(slots);
        try (SqliteLog log = SqliteLog.open(file, CLUSTER, NODE,
                SqliteLogOptions.defaults().withDurability(Durability.NORMAL_UNSAFE_ON_POWER_LOSS))) {
            log.saveHardState(new HardState(1, NODE));
            List<LogEntry> batch = new ArrayList<>(BATCH);
            for (long i = 1; i <= entries; i++) {
                byte[] command = SlotStateMachine.command(i, 100, 0);
                batch.add(new LogEntry(i, 1, EntryType.COMMAND, command));
                if (i <= entries - tail) {
                    atSnapshot.apply(i, command);
                }
                if (batch.size() == BATCH || i == entries) {
                    log.append(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
        }
        return atSnapshot;
    }

    /** Copies the log to {@code with}, writes the snapshot into a store there and compacts the copy's log. */
    private SnapshotInfo prepareSnapshot(Path without, Path with, SlotStateMachine atSnapshot) throws Exception {
        BenchSupport.copyTree(without, with);
        long index = entries - tail;
        SnapshotInfo info;
        try (FileSnapshotStore store = FileSnapshotStore.open(with.resolve("snapshots"));
             SnapshotWriter writer = store.create(index, 1, Membership.ofVoters(Set.of(NODE)))) {
            atSnapshot.captureSnapshot().writeTo(writer.stream());
            info = writer.commit();
        }
        try (SqliteLog log = SqliteLog.open(with.resolve("log.db"), CLUSTER, NODE)) {
            log.compactPrefix(index - RaftConfig.defaults().logTrailingEntries(), 1);
        }
        return info;
    }

    /** What one start measured: ms to start() returning, ms to all applied (both from opening the log). */
    private record StartRun(double startMs, double appliedMs, long digest) {
    }

    /** Starts a node on the copy in {@code run} and closes it once it has applied everything. */
    private StartRun startOnce(Path run, boolean withSnapshot) throws Exception {
        SlotStateMachine state = new SlotStateMachine(slots);
        InMemoryNetwork network = new InMemoryNetwork();
        long begin = System.nanoTime();
        SqliteLog log = SqliteLog.open(run.resolve("log.db"), CLUSTER, NODE,
                SqliteLogOptions.defaults().withDurability(Durability.FULL));
        RaftNode.Builder builder = RaftNode.builder()
                .nodeId(NODE)
                .members(Set.of(NODE))
                .clusterId(CLUSTER)
                .config(RaftConfig.builder().snapshotEveryEntries(0).snapshotEveryBytes(0).build())
                .transport(network.transport(NODE))
                .log(log)
                .stateMachine(state);
        if (withSnapshot) {
            builder.snapshotDirectory(run.resolve("snapshots"));
        }
        RaftNode node = builder.build();
        long started;
        long applied;
        try {
            node.start();
            started = System.nanoTime();
            applied = BenchSupport.awaitStatus(node,
                    s -> s.lastApplied() >= entries && s.lastApplied() == s.commitIndex(), TIMEOUT,
                    "all " + entries + " entries applied");
        } finally {
            node.close();
        }
        return new StartRun((started - begin) / 1e6, (applied - begin) / 1e6, state.digest());
    }
}
