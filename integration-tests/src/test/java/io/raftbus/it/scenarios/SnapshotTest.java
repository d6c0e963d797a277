package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.it.linearizability.CheckResult;
import io.raftbus.it.linearizability.HistoryRecorder;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvModel;
import io.raftbus.it.linearizability.KvOutput;
import io.raftbus.it.linearizability.LinearizabilityChecker;
import io.raftbus.it.linearizability.Operation;
import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClientThreads;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.KvClientOperations;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots over the real broker and SQLite logs: a follower stopped while the leader snapshots and compacts past
 * it catches up, after a restart, through a multi-megabyte snapshot sent in many chunks, and ends with the same state
 * as the others; the clients' concurrent history, recorded throughout, is linearizable.
 */
class SnapshotTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTest.class);
    private static final int CLIENTS = 6;
    /** Keys every client reads, writes, swaps and deletes: where linearizability is at stake. */
    private static final int HOT_KEYS = 8;
    /** Keys holding large values, filled in turn by the clients, so the state grows to a few megabytes. */
    private static final int BULK_KEYS = 240;
    private static final int VALUE_BYTES = 16 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;
    /** The leader's snapshot must be at least this big (tens of chunks) before the follower comes back. */
    private static final long MIN_SNAPSHOT_BYTES = 3L * 1024 * 1024;
    /**
     * The follower may install an older snapshot than the leader's latest (a transfer can start while it is down):
     * even the first, taken after {@code snapshotEveryEntries} entries of which about half write bulk values, spans
     * many chunks.
     */
    private static final long MIN_RESTORED_BYTES = 1024L * 1024;
    private static final long OP_TIMEOUT_MS = TestDeadlines.seconds(5).toMillis();
    private static final Duration CATCH_UP = TestDeadlines.seconds(120);
    private static final Duration CHECK_BUDGET = TestDeadlines.seconds(120);

    @Test
    void followerBehindACompactedLogCatchesUpThroughAChunkedSnapshot() throws Exception {
        long began = System.nanoTime();
        RaftConfig config = ClusterHarness.testConfig().toBuilder()
                .snapshotEveryEntries(200)
                .logTrailingEntries(50)
                .snapshotChunkBytes(CHUNK_BYTES)
                .build();
        ClusterHarness cluster = startCluster(3, config);
        cluster.awaitLeader(PATIENCE);
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();
        AtomicInteger completed = new AtomicInteger();
        ClientThreads clients = ClientThreads.start(CLIENTS, "kv-client-",
                (client, running) -> runClient(client, cluster, recorder, completed, running));
        String follower;
        long stoppedAt;
        try {
            awaitProgress(completed, 60, cluster);
            String leader = cluster.awaitLeader(PATIENCE);
            follower = cluster.members().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            RaftNode stopped = cluster.node(follower);
            cluster.kill(follower);
            // at or past the follower's last index: it holds nothing the others did not have when it stopped
            stoppedAt = Math.max(stopped.status().lastLogIndex(), cluster.runningIds().stream()
                    .mapToLong(id -> cluster.node(id).status().lastLogIndex()).max().orElseThrow());
            LOG.info("killed follower {} (log up to at most {}) after {} ms", follower, stoppedAt,
                    elapsedMs(began));
            long followerLast = stoppedAt;

            AtomicReference<Compacted> compacted = new AtomicReference<>();
            // every running node, not only today's leader: whoever leads when the follower returns must have
            // compacted past it, or the follower would (correctly) catch up from entries instead
            Await.until("the leader to compact past " + followerLast + " behind a snapshot of at least "
                    + MIN_SNAPSHOT_BYTES + " bytes, and every running node past it", CATCH_UP, () -> {
                        compacted.set(leaderCompactedPast(cluster, followerLast).orElse(null));
                        return compacted.get() != null && cluster.runningIds().stream()
                                .allMatch(id -> cluster.node(id).status().firstLogIndex() > followerLast + 1);
                    }, cluster::describe);
            Compacted leaderView = compacted.get();
            assertThat(leaderView.status().firstLogIndex()).as("first log index of leader %s", leaderView.leader())
                    .isGreaterThan(followerLast + 1);
            assertThat(leaderView.snapshot().sizeBytes()).isGreaterThanOrEqualTo(MIN_SNAPSHOT_BYTES);
            LOG.info("leader {}: log {}..{}, snapshot at {} of {} bytes ({} chunks of {}), after {} ms",
                    leaderView.leader(), leaderView.status().firstLogIndex(), leaderView.status().lastLogIndex(),
                    leaderView.snapshot().index(), leaderView.snapshot().sizeBytes(),
                    (leaderView.snapshot().sizeBytes() + CHUNK_BYTES - 1) / CHUNK_BYTES, CHUNK_BYTES,
                    elapsedMs(began));

            long restartedAt = System.nanoTime();
            cluster.restart(follower);
            long target = cluster.members().stream().filter(cluster.runningIds()::contains)
                    .filter(id -> !id.equals(follower))
                    .mapToLong(id -> cluster.node(id).status().commitIndex()).max().orElseThrow();
            cluster.awaitAppliedEverywhere(Set.of(follower), target, CATCH_UP);
            LOG.info("{} applied the leader's commit index {} {} ms after its restart (restored from the snapshot at"
                    + " {})", follower, target, elapsedMs(restartedAt), cluster.stateMachine(follower).restoredFrom());

            // the follower goes on replicating entries after the snapshot
            awaitProgress(completed, 100, cluster);
        } finally {
            clients.stopAndJoin(OP_TIMEOUT_MS * 3);
        }

        RaftStatus followerStatus = cluster.node(follower).status();
        assertThat(cluster.stateMachine(follower).restoredFrom())
                .as("index of the snapshot %s's state machine was restored from", follower)
                .isGreaterThan(stoppedAt);
        assertThat(cluster.stateMachine(follower).lastRestore().sizeBytes())
                .as("bytes of the snapshot %s restored last (chunks of %d)", follower, CHUNK_BYTES)
                .isGreaterThanOrEqualTo(MIN_RESTORED_BYTES);
        assertThat(followerStatus.snapshotIndex()).as("%s's snapshot index", follower).isGreaterThan(stoppedAt);
        assertThat(followerStatus.firstLogIndex()).as("%s's first log index", follower).isGreaterThan(stoppedAt + 1);

        long converged = cluster.awaitConverged(PATIENCE);
        Map<String, String> expected = cluster.stateMachine(follower).snapshot();
        for (String id : cluster.members()) {
            assertThat(differingKeys(cluster.stateMachine(id).snapshot(), expected))
                    .as("keys whose values differ between %s and %s", id, follower).isEmpty();
            assertThat(cluster.stateMachine(id).digestAt(converged)).as("digest at %d on %s", converged, id)
                    .isEqualTo(cluster.stateMachine(follower).digestAt(converged));
        }
        assertThat(cluster.stateMachine(follower).stateBytes()).isGreaterThan(MIN_SNAPSHOT_BYTES);

        List<Operation<KvInput, KvOutput>> history = recorder.history();
        long pending = history.stream().filter(Operation::pending).count();
        long checkBegan = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(CHECK_BUDGET).check(new KvModel(), history);
        LOG.info("{} operations ({} with unknown outcome) over {} keys checked in {} ms: {}; state {} bytes in {}"
                + " keys; whole test {} ms", history.size(), pending, result.partitions(), elapsedMs(checkBegan),
                result.verdict(), cluster.stateMachine(follower).stateBytes(), expected.size(), elapsedMs(began));
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    /** What a leader showed: its status and its latest snapshot. */
    private record Compacted(String leader, RaftStatus status, SnapshotInfo snapshot) {
    }

    /**
     * The current leader, if its log was compacted past {@code index + 1} (a follower that needs that entry needs a
     * snapshot) and its latest snapshot covers {@code index} and has at least {@link #MIN_SNAPSHOT_BYTES}.
     */
    private static Optional<Compacted> leaderCompactedPast(ClusterHarness cluster, long index) {
        Optional<String> leader = cluster.leader();
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        ClusterHarness.Member member;
        try {
            member = cluster.member(leader.get());
        } catch (IllegalStateException notRunning) {
            return Optional.empty();
        }
        RaftStatus status = member.node().status();
        if (status.firstLogIndex() <= index + 1) {
            return Optional.empty();
        }
        return member.snapshots().latest()
                .filter(s -> s.index() > index && s.sizeBytes() >= MIN_SNAPSHOT_BYTES)
                .map(s -> new Compacted(leader.get(), status, s));
    }

    /** Keys of either map whose values differ (the values are too long for a readable failure message). */
    private static Set<String> differingKeys(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.removeIf(key -> Objects.equals(a.get(key), b.get(key)));
        return keys;
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void awaitProgress(AtomicInteger completed, int operations, ClusterHarness cluster) {
        int from = completed.get();
        Await.until(operations + " more operations", CATCH_UP, () -> completed.get() >= from + operations,
                cluster::describe);
    }

    /**
     * One client: half its operations on the hot keys (put/get/cas/del, small values), half on the bulk keys (puts
     * of large values to the keys in turn, and gets). Gets are ReadIndex reads; writes go through the log.
     */
    private static void runClient(int client, ClusterHarness cluster, HistoryRecorder<KvInput, KvOutput> recorder,
            AtomicInteger completed, AtomicBoolean running) {
        Random random = new Random(client * 7919L + 1);
        int written = 0;
        int bulkTurn = 0;
        while (running.get()) {
            KvInput input;
            if (random.nextBoolean()) {
                String key = "h" + random.nextInt(HOT_KEYS);
                String value = "c" + client + "-" + written++;
                input = KvClientOperations.mixed(random, key, value, CLIENTS, written);
            } else {
                String key = "b" + (client + CLIENTS * bulkTurn) % BULK_KEYS;
                if (random.nextInt(4) == 0) {
                    input = KvInput.get(key);
                } else {
                    bulkTurn++;
                    input = KvInput.put(key, bulkValue(client, written++, random));
                }
            }
            if (!KvClientOperations.perform(client, input,
                    command -> input.kind() == KvInput.Kind.GET ? cluster.read(command) : cluster.submit(command),
                    OP_TIMEOUT_MS, recorder, completed)) {
                return;
            }
        }
    }

    /** A unique value of {@link #VALUE_BYTES} ASCII characters: the writer's tag, then random letters. */
    private static String bulkValue(int client, int n, Random random) {
        StringBuilder sb = new StringBuilder(VALUE_BYTES).append('c').append(client).append('-').append(n).append(':');
        while (sb.length() < VALUE_BYTES) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
