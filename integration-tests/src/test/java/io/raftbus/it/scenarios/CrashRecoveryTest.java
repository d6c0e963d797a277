package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.Probe;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crashes and restarts of nodes running on SQLite files: leader crash, follower catch-up, whole-cluster restart.
 * Failover times are logged for information (docs/PERFORMANCE.md has the measured figures), never asserted: on a
 * loaded machine an election can take several rounds, and what Raft promises is that one eventually succeeds.
 */
class CrashRecoveryTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    /** Commands acknowledged before a fault and after it: enough to show the load is running, whatever its rate. */
    private static final int LOAD_STEP = 200;

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void leaderCrashUnderLoadANewLeaderCommitsAndNothingAcknowledgedIsLost(int size) {
        ClusterHarness cluster = startCluster(size);
        cluster.awaitLeader(PATIENCE);
        CommandLoad load = closeAfter(new CommandLoad(cluster, "lc", 4, Integer.MAX_VALUE, 8)).start();
        Await.until("some load committed", PATIENCE, () -> load.acknowledgedCount() >= LOAD_STEP);

        // the leader now, not the first one: leadership may have moved while the load ran on a loaded machine
        String oldLeader = cluster.awaitLeader(PATIENCE);
        long crashedAt = System.nanoTime();
        cluster.kill(oldLeader);
        String probe = Probe.commitOne(cluster, PATIENCE);
        long recoveryMillis = (System.nanoTime() - crashedAt) / 1_000_000;
        String newLeader = cluster.awaitLeader(PATIENCE);
        LOG.info("{} nodes: leader {} killed; {} leads and committed a new command {} ms later", size, oldLeader,
                newLeader, recoveryMillis);
        assertThat(newLeader).isNotEqualTo(oldLeader);

        resumeRestartAndCheckNothingAcknowledgedIsLost(cluster, load, oldLeader, probe);
    }

    /**
     * The same under load, but the leader is closed, not crashed: it tries to hand leadership over first (the
     * default), so that nothing waits for an election timeout. The time to the next commit is logged beside the crash
     * figure above (not asserted: a timed assertion would be a flaky one). The hand-over is an attempt with a bound
     * (docs/ARCHITECTURE.md, "Close and leadership"): on a saturated machine the target may not catch up and win in
     * time, and the node then closes still leading, like a crash. So what is asserted is what holds either way: a
     * completed hand-over left the closed node a follower of another node in a later term; another node leads in a
     * later term; nothing acknowledged is lost. Not that the term moved by exactly one: a loaded machine may see a
     * further election after the hand-over, which Raft allows. The in-memory hand-over is asserted strictly by
     * raft-engine's {@code RaftNodeClusterTest}.
     */
    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void leaderClosedUnderLoadHandsLeadershipOverAndNothingAcknowledgedIsLost(int size) {
        ClusterHarness cluster = startCluster(size, ClusterHarness.testConfig().toBuilder().handOverOnClose(true)
                .build());
        cluster.awaitLeader(PATIENCE);
        CommandLoad load = closeAfter(new CommandLoad(cluster, "ho", 4, Integer.MAX_VALUE, 8)).start();
        Await.until("some load committed", PATIENCE, () -> load.acknowledgedCount() >= LOAD_STEP);

        // the leader now, not the first one: closing a node that lost leadership while the load ran would test
        // nothing (no hand-over, and a later term anyway)
        String oldLeader = cluster.awaitLeader(PATIENCE);
        RaftNode closing = cluster.node(oldLeader);
        long term = closing.status().term();
        long closedAt = System.nanoTime();
        cluster.kill(oldLeader); // close(): with the hand-over on
        String probe = Probe.commitOne(cluster, PATIENCE);
        long recoveryMillis = (System.nanoTime() - closedAt) / 1_000_000;
        RaftStatus last = closing.status();
        String newLeader = cluster.awaitLeader(PATIENCE);
        boolean handedOver = last.role() == Role.FOLLOWER && last.leaderId() != null
                && !last.leaderId().equals(oldLeader);
        if (handedOver) {
            LOG.info("{} nodes: leader {} closed, handing over to {}; a new command committed {} ms after close "
                    + "began", size, oldLeader, last.leaderId(), recoveryMillis);
            assertThat(last.term()).as("the hand-over started a later term").isGreaterThan(term);
        } else {
            LOG.warn("{} nodes: leader {} closed without completing the hand-over (its last status: {}); {} was "
                    + "elected and a new command committed {} ms after close began", size, oldLeader, last,
                    newLeader, recoveryMillis);
        }
        assertThat(last.term()).as("terms never go back").isGreaterThanOrEqualTo(term);
        assertThat(newLeader).isNotEqualTo(oldLeader);
        assertThat(cluster.node(newLeader).status().term()).as("another node leads only in a later term")
                .isGreaterThan(term).isGreaterThanOrEqualTo(last.term());

        resumeRestartAndCheckNothingAcknowledgedIsLost(cluster, load, oldLeader, probe);
    }

    /** Load resumes under the new leader; the old one rejoins; every acknowledged command is on every node. */
    private static void resumeRestartAndCheckNothingAcknowledgedIsLost(ClusterHarness cluster, CommandLoad load,
                                                                       String oldLeader, String probe) {
        int before = load.acknowledgedCount();
        Await.until("load to resume", PATIENCE, () -> load.acknowledgedCount() >= before + LOAD_STEP);
        load.stop();
        cluster.restart(oldLeader);
        cluster.awaitConverged(PATIENCE);
        Set<String> acknowledged = new HashSet<>(load.acknowledged());
        acknowledged.add(probe);
        for (String id : cluster.members()) {
            assertThat(cluster.stateMachine(id).missingTags(acknowledged))
                    .as("acknowledged commands missing on " + id).isEmpty();
        }
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void followerRestartedFromItsSqliteFileCatchesUp(int size) {
        ClusterHarness cluster = startCluster(size);
        String leader = cluster.awaitLeader(PATIENCE);
        String follower = cluster.members().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();

        CommandLoad first = closeAfter(new CommandLoad(cluster, "f1", 4, 1_000, 8)).start();
        first.join(PATIENCE);
        cluster.awaitConverged(PATIENCE);
        long appliedBeforeKill = cluster.stateMachine(follower).lastApplied();
        cluster.kill(follower);

        CommandLoad second = closeAfter(new CommandLoad(cluster, "f2", 4, 1_000, 8)).start();
        second.join(PATIENCE);
        assertThat(second.acknowledgedCount()).as("the majority keeps committing without the follower")
                .isEqualTo(1_000);

        cluster.restart(follower);
        long converged = cluster.awaitConverged(PATIENCE);
        assertThat(converged).isGreaterThan(appliedBeforeKill);
        assertThat(cluster.stateMachine(follower).missingTags(first.acknowledged())).isEmpty();
        assertThat(cluster.stateMachine(follower).missingTags(second.acknowledged())).isEmpty();
        assertThat(cluster.stateMachine(follower).digestAt(converged))
                .isEqualTo(cluster.stateMachine(leader).digestAt(converged));
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void wholeClusterRestartedFromItsFilesKeepsEverything(int size) {
        ClusterHarness cluster = startCluster(size);
        cluster.awaitLeader(PATIENCE);
        CommandLoad load = closeAfter(new CommandLoad(cluster, "w", 4, 2_000, 8)).start();
        load.join(PATIENCE);
        long applied = cluster.awaitConverged(PATIENCE);
        Long digest = cluster.stateMachine("n1").digestAt(applied);

        for (String id : cluster.members()) {
            cluster.kill(id);
        }
        for (String id : cluster.members()) {
            cluster.startNode(id);
        }
        cluster.awaitLeader(PATIENCE);
        String probe = Probe.commitOne(cluster, PATIENCE);
        cluster.awaitConverged(PATIENCE);
        for (String id : cluster.members()) {
            assertThat(cluster.stateMachine(id).missingTags(load.acknowledged())).as("lost on " + id).isEmpty();
            assertThat(cluster.stateMachine(id).hasTag(probe)).isTrue();
            assertThat(cluster.stateMachine(id).digestAt(applied)).as("history replayed on " + id)
                    .isEqualTo(digest);
        }
    }
}
