package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kafka broker itself goes away for 10 s under load and comes back at the same address. */
class BrokerOutageTest extends ScenarioBase {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void clusterResumesAfterTheBrokerIsBackAndNothingAcknowledgedIsLost() {
        Assumptions.assumeTrue(KAFKA.isEmbedded(), "stopping the broker needs the embedded broker");
        ClusterHarness cluster = startCluster(3);
        cluster.awaitLeader(PATIENCE);
        CommandLoad load = closeAfter(new CommandLoad(cluster, "b", 4, Integer.MAX_VALUE, 8)).start();
        Await.until("load under way", PATIENCE, () -> load.acknowledgedCount() >= 200);

        KAFKA.stop();
        long stoppedAt = System.nanoTime();
        int acknowledgedAtStop = load.acknowledgedCount();
        LOG.info("broker stopped with {} commands acknowledged", acknowledgedAtStop);
        Await.until("the outage to last " + OUTAGE.toSeconds() + " s", OUTAGE.plus(PATIENCE),
                () -> System.nanoTime() - stoppedAt >= OUTAGE.toNanos());
        int acknowledgedDuringOutage = load.acknowledgedCount() - acknowledgedAtStop;
        KAFKA.restart();
        long restartedAt = System.nanoTime();

        Await.until("commits to resume after the broker restart", PATIENCE.multipliedBy(2),
                () -> load.acknowledgedCount() >= acknowledgedAtStop + acknowledgedDuringOutage + 200,
                cluster::describe);
        LOG.info("commits resumed {} ms after the broker restart ({} acknowledged while it was down)",
                (System.nanoTime() - restartedAt) / 1_000_000, acknowledgedDuringOutage);
        load.stop();

        cluster.awaitConverged(PATIENCE);
        for (String id : cluster.members()) {
            assertThat(cluster.stateMachine(id).missingTags(load.acknowledged()))
                    .as("acknowledged commands missing on " + id).isEmpty();
        }
        assertThat(cluster.safetyViolations()).isEmpty();
    }
}
