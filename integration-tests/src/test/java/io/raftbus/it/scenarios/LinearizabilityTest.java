package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.raftbus.it.support.KvCodec;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent clients run put/get/cas/del on a few keys while a nemesis crashes and restarts nodes and isolates
 * leaders and followers (a quarter of the operations go through a random node, isolated or not, exercising
 * forwarding and stale leaders); the recorded history must be linearizable (checked by {@link LinearizabilityChecker}).
 * Faults advance on the clients' progress, not on timers.
 */
class LinearizabilityTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(LinearizabilityTest.class);
    private static final int CLIENTS = 4;
    private static final int KEYS = 4;
    private static final int OPS_PER_PHASE = 120;
    /** A client gives up on one operation after this long and records its outcome as unknown. */
    private static final long OP_TIMEOUT_MS = TestDeadlines.seconds(4).toMillis();
    /** The checker's search budget; its verdict is UNKNOWN past it. */
    private static final Duration CHECK_BUDGET = TestDeadlines.seconds(120);

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void keyValueHistoryUnderCrashesAndPartitionsIsLinearizable(int size) throws Exception {
        ClusterHarness cluster = startCluster(size);
        cluster.awaitLeader(PATIENCE);
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();
        AtomicInteger completed = new AtomicInteger();
        ClientThreads clients = ClientThreads.start(CLIENTS, "kv-client-",
                (client, running) -> runClient(client, cluster, recorder, completed, running));
        try {
            awaitProgress(completed, cluster);
            String leader = cluster.awaitLeader(PATIENCE);
            nemesis("kill leader " + leader, () -> cluster.kill(leader));
            awaitProgress(completed, cluster);
            nemesis("restart " + leader, () -> cluster.restart(leader));
            awaitProgress(completed, cluster);

            String leader2 = cluster.awaitLeader(PATIENCE);
            nemesis("isolate leader " + leader2, () -> cluster.isolate(leader2));
            awaitProgress(completed, cluster);
            nemesis("heal " + leader2, () -> cluster.heal(leader2));
            awaitProgress(completed, cluster);

            String leader3 = cluster.awaitLeader(PATIENCE);
            String follower = cluster.members().stream().filter(id -> !id.equals(leader3)).findFirst().orElseThrow();
            nemesis("isolate follower " + follower, () -> cluster.isolate(follower));
            awaitProgress(completed, cluster);
            nemesis("heal " + follower + ", kill it", () -> {
                cluster.heal(follower);
                cluster.kill(follower);
            });
            awaitProgress(completed, cluster);
            nemesis("restart " + follower, () -> cluster.restart(follower));
            awaitProgress(completed, cluster);
        } finally {
            clients.stopAndJoin(OP_TIMEOUT_MS * 3);
        }

        List<Operation<KvInput, KvOutput>> history = recorder.history();
        long pending = history.stream().filter(Operation::pending).count();
        long begin = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(CHECK_BUDGET).check(new KvModel(), history);
        LOG.info("{} nodes: {} operations ({} with unknown outcome) over {} keys checked in {} ms: {}", size,
                history.size(), pending, result.partitions(), (System.nanoTime() - begin) / 1_000_000,
                result.verdict());
        assertThat(history.size()).isGreaterThan(OPS_PER_PHASE * 7);
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    /**
     * Negative control on the live system: reading an isolated follower's local state instead of going through the
     * log is a stale read, and the same recorder and checker must reject the history.
     */
    @org.junit.jupiter.api.Test
    void localReadsFromAnIsolatedFollowerAreCaughtAsNotLinearizable() throws Exception {
        ClusterHarness cluster = startCluster(3);
        String leader = cluster.awaitLeader(PATIENCE);
        String follower = cluster.members().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();

        put(cluster, recorder, "x", "1");
        cluster.awaitAppliedEverywhere(cluster.members(), cluster.node(leader).status().commitIndex(), PATIENCE);
        cluster.isolate(follower);
        put(cluster, recorder, "x", "2");
        int read = recorder.invoke(1, KvInput.get("x"));
        recorder.ok(read, KvOutput.read(cluster.stateMachine(follower).snapshot().get("x")));

        CheckResult result = new LinearizabilityChecker(CHECK_BUDGET).check(new KvModel(),
                recorder.history());
        assertThat(result.verdict()).as("stale local read of %s", cluster.stateMachine(follower).snapshot())
                .isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    }

    private static void put(ClusterHarness cluster, HistoryRecorder<KvInput, KvOutput> recorder, String key,
            String value) throws Exception {
        KvInput input = KvInput.put(key, value);
        int id = recorder.invoke(0, input);
        byte[] result = cluster.submit(KvCodec.encode(input)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        recorder.ok(id, KvCodec.decodeOutput(result));
    }

    private static void nemesis(String action, Runnable fault) {
        LOG.info("nemesis: {}", action);
        fault.run();
    }

    private static void awaitProgress(AtomicInteger completed, ClusterHarness cluster) {
        int from = completed.get();
        Await.until(OPS_PER_PHASE + " more operations", TestDeadlines.seconds(120),
                () -> completed.get() >= from + OPS_PER_PHASE, cluster::describe);
    }

    private static void runClient(int client, ClusterHarness cluster, HistoryRecorder<KvInput, KvOutput> recorder,
            AtomicInteger completed, AtomicBoolean running) {
        Random random = new Random(client * 7919L);
        int written = 0;
        while (running.get()) {
            String key = "k" + random.nextInt(KEYS);
            String value = "c" + client + "-" + written++;
            KvInput input = KvClientOperations.mixed(random, key, value, CLIENTS, written);
            if (!KvClientOperations.perform(client, input, KvClientOperations.mostlyViaLeader(cluster, random, input),
                    OP_TIMEOUT_MS, recorder, completed)) {
                return;
            }
        }
    }
}
