package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.MembershipChanges;
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
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.KvClientOperations;
import io.raftbus.it.support.ScenarioBase;
import io.raftbus.kafka.KafkaTransport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes over the real broker and SQLite logs while clients keep writing: the cluster grows from 3 to 5
 * (new nodes started in join mode, empty disks), a killed node is replaced by a fresh one with a new id, the leader
 * is removed, and the cluster shrinks back to 3. The KV clients' history must be linearizable, every acknowledged
 * tagged command must be on every remaining node, and the final voters must be the expected three. Each step waits
 * on the clients' progress, not on timers.
 */
class MembershipChangeTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipChangeTest.class);
    private static final int CLIENTS = 4;
    private static final int KEYS = 4;
    private static final int OPS_PER_PHASE = 60;
    private static final long OP_TIMEOUT_MS = TestDeadlines.seconds(4).toMillis();
    /** One attempt at a change (it is asked again of whoever leads if it fails or times out). */
    private static final Duration CHANGE_ATTEMPT = TestDeadlines.seconds(15);
    private static final Duration CHANGE = TestDeadlines.seconds(180);
    private static final Duration PROGRESS = TestDeadlines.seconds(120);
    private static final Duration CHECK_BUDGET = TestDeadlines.seconds(120);

    @Test
    void growReplaceRemoveTheLeaderAndShrinkUnderLoad() throws Exception {
        long began = System.nanoTime();
        // small snapshot thresholds: a fresh node may catch up through a snapshot as well as through entries
        RaftConfig config = ClusterHarness.testConfig().toBuilder()
                .snapshotEveryEntries(300)
                .logTrailingEntries(100)
                .build();
        ClusterHarness cluster = startCluster(3, config);
        cluster.awaitLeader(PATIENCE);
        HistoryRecorder<KvInput, KvOutput> recorder = new HistoryRecorder<>();
        AtomicInteger completed = new AtomicInteger();
        ClientThreads clients = ClientThreads.start(CLIENTS, "kv-client-",
                (client, running) -> runClient(client, cluster, recorder, completed, running));
        CommandLoad load = closeAfter(new CommandLoad(cluster, "m", 2, Integer.MAX_VALUE, 2)).start();
        Set<String> expected = new TreeSet<>(cluster.members());
        try {
            awaitProgress(completed, cluster);

            for (String id : List.of("n4", "n5")) {
                step(began, "grow: " + id + " joins with empty disk", () -> {
                    cluster.startJoining(id, voters(cluster));
                    change(cluster, id + " to be a voter", () -> voters(cluster).contains(id),
                            MembershipChanges.addVoter(id));
                    Await.until(id + " to learn it votes", CHANGE, () -> cluster.node(id).status().isVoter(),
                            cluster::describe);
                });
                expected.add(id);
                awaitProgress(completed, cluster);
            }
            assertThat(voters(cluster)).isEqualTo(expected);

            String leader = cluster.awaitLeader(PATIENCE);
            String victim = expected.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            step(began, "kill " + victim, () -> cluster.kill(victim));
            awaitProgress(completed, cluster);
            step(began, "replace " + victim + " by a fresh n6", () -> {
                cluster.startJoining("n6", voters(cluster));
                change(cluster, "n6 to be a voter", () -> voters(cluster).contains("n6"),
                        MembershipChanges.addVoter("n6"));
                change(cluster, victim + " to be removed", () -> !voters(cluster).contains(victim),
                        MembershipChanges.remove(victim));
            });
            expected.remove(victim);
            expected.add("n6");
            awaitProgress(completed, cluster);
            assertThat(voters(cluster)).isEqualTo(expected);

            String oldLeader = cluster.awaitLeader(PATIENCE);
            step(began, "remove the leader " + oldLeader, () -> {
                change(cluster, "the leader " + oldLeader + " to be removed",
                        () -> !voters(cluster).contains(oldLeader), MembershipChanges.remove(oldLeader));
                Await.until(oldLeader + " to learn it was removed", CHANGE,
                        () -> cluster.node(oldLeader).status().isNonMember(), cluster::describe);
                Await.until("another node to lead", CHANGE,
                        () -> cluster.leader().filter(id -> !id.equals(oldLeader)).isPresent(), cluster::describe);
                cluster.kill(oldLeader);
            });
            expected.remove(oldLeader);
            awaitProgress(completed, cluster);
            assertThat(voters(cluster)).isEqualTo(expected);

            String leaderNow = cluster.awaitLeader(PATIENCE);
            String shrunk = expected.stream().filter(id -> !id.equals(leaderNow)).findFirst().orElseThrow();
            step(began, "shrink to 3: remove " + shrunk, () -> {
                change(cluster, shrunk + " to be removed", () -> !voters(cluster).contains(shrunk),
                        MembershipChanges.remove(shrunk));
                Await.until(shrunk + " to learn it was removed", CHANGE,
                        () -> cluster.node(shrunk).status().isNonMember(), cluster::describe);
                cluster.kill(shrunk);
            });
            expected.remove(shrunk);
            awaitProgress(completed, cluster);
        } finally {
            clients.stopAndJoin(OP_TIMEOUT_MS * 3);
            load.stop();
        }

        assertThat(expected).hasSize(3);
        assertThat(cluster.runningIds()).isEqualTo(expected);
        long converged = cluster.awaitConverged(PATIENCE);
        String reference = expected.iterator().next();
        for (String id : expected) {
            assertThat(cluster.node(id).status().voters()).as("voters seen by %s", id).isEqualTo(expected);
            assertThat(cluster.stateMachine(id).missingTags(load.acknowledged()))
                    .as("acknowledged commands missing on %s", id).isEmpty();
            assertThat(cluster.stateMachine(id).digestAt(converged)).as("digest at %d on %s", converged, id)
                    .isEqualTo(cluster.stateMachine(reference).digestAt(converged));
            LOG.info("{}: transport drops {}", id, transport(cluster, id).dropCounts());
        }

        List<Operation<KvInput, KvOutput>> history = recorder.history();
        long pending = history.stream().filter(Operation::pending).count();
        long checkBegan = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(CHECK_BUDGET).check(new KvModel(), history);
        LOG.info("{} operations ({} with unknown outcome) over {} keys checked in {} ms: {}; {} tagged commands "
                + "acknowledged ({} failed: {}); final voters {}; whole test {} ms", history.size(), pending,
                result.partitions(), elapsedMs(checkBegan), result.verdict(), load.acknowledgedCount(),
                load.failures(), load.failureCauses(), expected, elapsedMs(began));
        assertThat(load.acknowledgedCount()).isPositive();
        assertThat(result.verdict()).as(result.detail()).isEqualTo(CheckResult.Verdict.LINEARIZABLE);
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    /** The voters of the configuration in force on the current leader (waiting for one). */
    private static Set<String> voters(ClusterHarness cluster) {
        String leader = cluster.awaitLeader(PATIENCE);
        try {
            return new TreeSet<>(cluster.node(leader).status().voters());
        } catch (IllegalStateException killedMeanwhile) {
            return voters(cluster);
        }
    }

    /** Asks whichever node leads for {@code change} until {@code done} holds. */
    private static void change(ClusterHarness cluster, String what, java.util.function.BooleanSupplier done,
            Function<RaftNode, CompletableFuture<Void>> change) {
        try {
            MembershipChanges.until(what, done, () -> cluster.leader().map(id -> {
                try {
                    return cluster.node(id);
                } catch (IllegalStateException notRunning) {
                    return null;
                }
            }).orElse(null), change, CHANGE_ATTEMPT, CHANGE);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; state: " + cluster.describe(), e);
        }
    }

    private static KafkaTransport transport(ClusterHarness cluster, String id) {
        return (KafkaTransport) cluster.member(id).transport().delegate();
    }

    private static void step(long began, String what, Runnable action) {
        long at = System.nanoTime();
        LOG.info("step at {} ms: {}", elapsedMs(began), what);
        action.run();
        LOG.info("step done in {} ms: {}", elapsedMs(at), what);
    }

    private static long elapsedMs(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void awaitProgress(AtomicInteger completed, ClusterHarness cluster) {
        int from = completed.get();
        Await.until(OPS_PER_PHASE + " more operations", PROGRESS, () -> completed.get() >= from + OPS_PER_PHASE,
                cluster::describe);
    }

    /**
     * One client: put/get/cas/del on a few keys, mostly through the leader, a quarter through any running node
     * (a learner, a node being removed); most gets are ReadIndex reads.
     */
    private static void runClient(int client, ClusterHarness cluster, HistoryRecorder<KvInput, KvOutput> recorder,
            AtomicInteger completed, AtomicBoolean running) {
        Random random = new Random(client * 7919L + 3);
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
