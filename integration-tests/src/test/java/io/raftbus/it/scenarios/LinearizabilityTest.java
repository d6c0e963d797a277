package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.it.linearizability.CheckResult;
import io.raftbus.it.linearizability.HistoryRecorder;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvModel;
import io.raftbus.it.linearizability.KvOutput;
import io.raftbus.it.linearizability.LinearizabilityChecker;
import io.raftbus.it.linearizability.Operation;
import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.KvCodec;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent clients run put/get/cas/del on a few keys while a nemesis crashes and restarts nodes and isolates
 * leaders and followers; the recorded history must be linearizable (checked by {@link LinearizabilityChecker}).
 * Faults advance on the clients' progress, not on timers.
 */
class LinearizabilityTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(LinearizabilityTest.class);
    private static final int CLIENTS = 4;
    private static final int KEYS = 4;
    private static final int OPS_PER_PHASE = 120;
    private static final long OP_TIMEOUT_MS = 4_000;

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void keyValueHistoryUnderCrashesAndPartitionsIsLinearizable(int size) throws Exception {
        ClusterHarness cluster = startCluster(size);
        cluster.awaitLeader(PATIENCE);
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();
        AtomicInteger completed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> runClient(client, cluster, recorder, completed, running), "kv-client-" + c);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
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
            running.set(false);
            for (Thread t : clients) {
                t.join(OP_TIMEOUT_MS * 3);
            }
        }

        List<Operation<KvInput, KvOutput>> history = recorder.history();
        long pending = history.stream().filter(Operation::pending).count();
        long begin = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(Duration.ofSeconds(60)).check(new KvModel(), history);
        LOG.info("{} nodes: {} operations ({} with unknown outcome) over {} keys checked in {} ms: {}", size,
                history.size(), pending, result.partitions(), (System.nanoTime() - begin) / 1_000_000,
                result.verdict());
        assertThat(history.size()).isGreaterThan(OPS_PER_PHASE * 7);
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    private static void nemesis(String action, Runnable fault) {
        LOG.info("nemesis: {}", action);
        fault.run();
    }

    private static void awaitProgress(AtomicInteger completed, ClusterHarness cluster) {
        int from = completed.get();
        Await.until(OPS_PER_PHASE + " more operations", Duration.ofSeconds(60),
                () -> completed.get() >= from + OPS_PER_PHASE, cluster::describe);
    }

    private static void runClient(int client, ClusterHarness cluster, HistoryRecorder<KvInput, KvOutput> recorder,
            AtomicInteger completed, java.util.concurrent.atomic.AtomicBoolean running) {
        Random random = new Random(client * 7919L);
        int written = 0;
        while (running.get()) {
            String key = "k" + random.nextInt(KEYS);
            String value = "c" + client + "-" + written++;
            KvInput input = switch (random.nextInt(10)) {
                case 0, 1, 2 -> KvInput.put(key, value);
                case 3, 4, 5, 6 -> KvInput.get(key);
                case 7, 8 -> KvInput.cas(key, "c" + random.nextInt(CLIENTS) + "-" + random.nextInt(written), value);
                default -> KvInput.del(key);
            };
            int id = recorder.invoke(client, input);
            try {
                byte[] result = cluster.submit(KvCodec.encode(input)).get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                recorder.ok(id, KvCodec.decodeOutput(result));
                completed.incrementAndGet();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NotLeaderException || e.getCause() instanceof BackpressureException) {
                    recorder.discard(id);
                } else {
                    recorder.unknown(id);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            } catch (TimeoutException e) {
                recorder.unknown(id);
            } catch (InterruptedException e) {
                recorder.unknown(id);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
