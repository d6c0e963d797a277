package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.KvCodec;
import io.raftbus.it.support.Probe;
import io.raftbus.it.support.ScenarioBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One node's transport paused both ways: the isolated minority cannot commit, the majority can; after the heal the
 * logs converge. The isolated node is the leader, the hardest case (it must not keep acknowledging).
 */
class PartitionTest extends ScenarioBase {

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void isolatedLeaderCannotCommitMajorityCanAndLogsConvergeAfterHeal(int size) throws Exception {
        ClusterHarness cluster = startCluster(size);
        String isolated = cluster.awaitLeader(PATIENCE);
        CommandLoad warmup = closeAfter(new CommandLoad(cluster, "p0", 2, 200, 4)).start();
        warmup.join(PATIENCE);

        cluster.isolate(isolated);
        CompletableFuture<byte[]> minorityCommand = cluster.submitVia(isolated, KvCodec.opaque("minority"));

        String majorityProbe = Probe.commitOne(cluster, PATIENCE);
        String newLeader = cluster.awaitLeader(PATIENCE);
        assertThat(newLeader).isNotEqualTo(isolated);
        CommandLoad majorityLoad = closeAfter(new CommandLoad(cluster, "p1", 4, 500, 8)).start();
        majorityLoad.join(PATIENCE);
        assertThat(majorityLoad.acknowledgedCount()).as("the majority commits").isEqualTo(500);

        long majorityCommit = cluster.node(newLeader).status().commitIndex();
        assertThat(minorityCommand).as("the isolated old leader cannot have committed").satisfies(f -> {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                throw new AssertionError("isolated node acknowledged: " + new String(f.get(),
                        StandardCharsets.UTF_8));
            }
        });
        assertThat(cluster.stateMachine(isolated).hasTag("minority")).isFalse();
        assertThat(cluster.stateMachine(isolated).lastApplied()).isLessThan(majorityCommit);

        cluster.heal(isolated);
        long converged = cluster.awaitConverged(PATIENCE);
        Await.until("the minority command to be settled", PATIENCE, minorityCommand::isDone);
        for (String id : cluster.members()) {
            assertThat(cluster.stateMachine(id).missingTags(majorityLoad.acknowledged())).isEmpty();
            assertThat(cluster.stateMachine(id).hasTag(majorityProbe)).isTrue();
            assertThat(cluster.stateMachine(id).digestAt(converged))
                    .isEqualTo(cluster.stateMachine(newLeader).digestAt(converged));
        }
        assertThat(minorityCommand).as("the command proposed in the minority was not acknowledged")
                .isCompletedExceptionally();
        assertThat(cluster.member(isolated).transport().droppedOutbound()).isPositive();
        assertThat(cluster.safetyViolations()).isEmpty();
    }
}
