package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external client against a cluster whose members changed after its member list was written: it must not be
 * stranded: it learns the new leader from a NOT_LEADER hint (and goes there first afterwards, {@link
 * io.raftbus.engine.session.RaftClient}).
 */
class ClientMembershipEndToEndTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(90);

    @Test
    void aClientThatKnowsOnlyAnOldMemberFollowsTheHintToANewLeaderAndGoesThereFirstNextTime(@TempDir Path dataDir)
            throws InterruptedException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             LocalCluster cluster = LocalCluster.start(Invocation.DEFAULT_CLUSTER, broker.bootstrapServers(), dataDir,
                     RaftConfig.defaults(), Invocation.DEFAULT_MEMBERS)) {
            assertTrue(cluster.awaitLeader(DEADLINE), "a leader is elected");
            assertTrue(cluster.add("n4", DEADLINE).contains("n4"));
            // n4 leads: a client that lists only n1 can find it through n1's NOT_LEADER hint alone
            Await.until("n4 leads", () -> cluster.leaderId().filter("n4"::equals).isPresent()
                    || transferTo(cluster, "n4"), DEADLINE);
            String staleMember = "n1";

            try (SessionKvClient client = new SessionKvClient((id, until) -> KafkaTransports.forClient(
                    broker.bootstrapServers(), Invocation.DEFAULT_CLUSTER, Set.of(staleMember), Map.of(), until),
                    Invocation.DEFAULT_CLUSTER, Set.of(staleMember))) {
                assertEquals(KvResult.ok("1"), client.execute(new KvCommand.Put("a", "1"), DEADLINE));
                assertTrue(client.members().contains("n4"), "learned from the hint: " + client.members());
                assertTrue(client.members().contains(client.lastLeader()), "the node that answered is a member now: "
                        + client.members() + ", last leader " + client.lastLeader());
                assertEquals(KvResult.ok("1"), client.execute(new KvCommand.Get("a"), DEADLINE));
                assertEquals(KvResult.ok("2"), client.execute(new KvCommand.Cas("a", "1", "2"), DEADLINE));
            }
        }
    }

    /** Asks the leader (if any) to hand leadership to {@code target}; whether {@code target} leads afterwards. */
    private static boolean transferTo(LocalCluster cluster, String target) {
        Optional<RaftNode> leader = cluster.leaderId().flatMap(cluster::raftNode);
        if (leader.isEmpty()) {
            return false;
        }
        try {
            return target.equals(leader.get().transferLeadership(target).get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            return false; // not completed in time, or leadership changed meanwhile: ask again
        }
    }
}
