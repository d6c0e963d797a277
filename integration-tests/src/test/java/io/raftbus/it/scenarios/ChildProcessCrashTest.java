package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.KafkaSqliteBackend;
import io.raftbus.it.support.NodeProcess;
import io.raftbus.it.support.Probe;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * n3 runs as a separate OS process (a child JVM on the test class path). It is killed with SIGKILL under load and
 * restarted from its SQLite file; then it must carry the cluster's majority with n2 while n1 is down, so a log it
 * lost in the crash would lose acknowledged commands.
 */
class ChildProcessCrashTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcessCrashTest.class);
    private static final String CHILD = "n3";

    @Test
    void nodeKilledWithSigkillUnderLoadAndRestartedLosesNoAcknowledgedCommand() {
        String clusterId = KAFKA.uniqueName("c");
        ClusterHarness cluster = closeAfter(ClusterHarness.start(new KafkaSqliteBackend(KAFKA.bootstrapServers()),
                clusterId, 3, dir, ClusterHarness.testConfig(), Set.of("n1", "n2")));
        NodeProcess child = closeAfter(launchChild(cluster));

        Probe.commitOne(cluster, PATIENCE);
        CommandLoad load = closeAfter(new CommandLoad(cluster, "x", 4, Integer.MAX_VALUE, 8)).start();
        Await.until("the child to apply some load", PATIENCE,
                () -> load.acknowledgedCount() >= 500 && child.status() != null && child.status().applied() > 300);

        LOG.info("SIGKILL to child {} (pid {}) at applied {}", CHILD, child.pid(), child.status().applied());
        child.kill();
        int atKill = load.acknowledgedCount();
        Await.until("n1+n2 to keep committing", PATIENCE, () -> load.acknowledgedCount() >= atKill + 300,
                cluster::describe);

        NodeProcess restarted = closeAfter(launchChild(cluster));
        long target = cluster.node(cluster.knownLeader().filter(id -> !id.equals(CHILD)).orElse("n1"))
                .status().commitIndex();
        Await.until("the restarted child to catch up to " + target, PATIENCE,
                () -> restarted.status() != null && restarted.status().applied() >= target);

        // now the child is needed for every commit
        cluster.kill("n1");
        int atN1Down = load.acknowledgedCount();
        Await.until("n2 + the restarted child to commit", PATIENCE,
                () -> load.acknowledgedCount() >= atN1Down + 300, cluster::describe);
        load.stop();
        cluster.startNode("n1");

        cluster.awaitConverged(PATIENCE);
        long applied = cluster.stateMachine("n2").lastApplied();
        Await.until("the child to apply " + applied, PATIENCE, () -> restarted.status().applied() >= applied);
        for (String id : Set.of("n1", "n2")) {
            assertThat(cluster.stateMachine(id).missingTags(load.acknowledged()))
                    .as("acknowledged commands missing on " + id).isEmpty();
        }
        NodeProcess.Status childStatus = restarted.status();
        assertThat(childStatus.digest()).as("the child applied the same sequence")
                .isEqualTo(String.valueOf(cluster.stateMachine("n2").digestAt(childStatus.applied())));
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    private NodeProcess launchChild(ClusterHarness cluster) {
        return NodeProcess.launch(KAFKA.bootstrapServers(), cluster.clusterId(), CHILD, cluster.members(),
                cluster.logFile(CHILD), dir.resolve(CHILD + ".out"));
    }
}
