package io.raftbus.kafka;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.MembershipChanges;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership changes over a real broker: a node started in join mode with the current members is added and votes;
 * a new member's inbox is created before it is sent anything; a removed member's inbox is kept.
 */
class KafkaMembershipTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(120);
    private static final Duration ATTEMPT = TestDeadlines.seconds(10);

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aNewMembersInboxIsCreatedInTheBackgroundBeforeItIsSentAnything() {
        String cluster = kafka.uniqueName("inbox");
        KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers(kafka.bootstrapServers())
                .clusterId(cluster).members(Set.of("n1", "n2")).replicationFactor((short) 1).build();
        KafkaTransport n1 = new KafkaTransport(config);
        opened.add(n1);
        n1.start("n1", m -> { });
        String n3Inbox = config.topicNames().inboxOf("n3");
        assertFalse(topics().contains(n3Inbox), "nobody has created n3's inbox yet");

        n1.membershipChanged(new Membership(Set.of("n1", "n2"), Set.of("n3")));
        Await.until("n1 to create n3's inbox", () -> topics().contains(n3Inbox), DEADLINE);
        ConcurrentLinkedQueue<RaftMessage> atN3 = new ConcurrentLinkedQueue<>();
        KafkaTransport n3 = new KafkaTransport(config);
        opened.add(n3);
        n3.start("n3", atN3::add);
        n3.membershipChanged(new Membership(Set.of("n1", "n2"), Set.of("n3")));
        Await.until("a message from n1 to reach n3", () -> {
            n1.send(new VoteRequest(cluster, "n1", "n3", 7, 0, 0));
            return !atN3.isEmpty();
        }, DEADLINE);
        assertTrue(atN3.stream().allMatch(m -> m.from().equals("n1")));

        n1.membershipChanged(Membership.ofVoters(Set.of("n1", "n2")));
        assertTrue(topics().contains(n3Inbox), "a removed member's inbox is kept");
    }

    @Test
    void aNodeStartedInJoinModeWithTheCurrentMembersIsAddedVotesAndReplacesARemovedOne() {
        KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), kafka.uniqueName("join"), 3);
        opened.add(cluster);
        cluster.startAll();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(leader.submit(bytes("before")), DEADLINE);

        RecordingStateMachine joinerMachine = new RecordingStateMachine();
        KafkaTransport joinerTransport = new KafkaTransport(cluster.transportConfig);
        RaftNode joiner = RaftNode.builder().nodeId("n4").members(cluster.transportConfig.members()).join(true)
                .clusterId(cluster.clusterId).config(KafkaRaftCluster.CONFIG).transport(joinerTransport)
                .log(new InMemoryLog()).stateMachine(joinerMachine).build();
        opened.add(joiner);
        joiner.start();
        List<RaftNode> all = new ArrayList<>(cluster.nodes().values());
        all.add(joiner);

        MembershipChanges.until("n4 to be a voter", () -> voters(all).contains("n4"),
                () -> MembershipChanges.leaderAmong(all), MembershipChanges.addVoter("n4"), ATTEMPT, DEADLINE);
        Await.until("n4 to learn it votes", () -> joiner.status().isVoter(), DEADLINE);
        Await.until("n4 to apply what was committed before it joined",
                () -> joinerMachine.applied().contains("before"), DEADLINE);

        String removed = MembershipChanges.leaderAmong(all).nodeId().equals("n1") ? "n2" : "n1";
        MembershipChanges.until(removed + " to be removed", () -> !voters(all).contains(removed),
                () -> MembershipChanges.leaderAmong(all), MembershipChanges.remove(removed), ATTEMPT, DEADLINE);
        RaftNode now = Await.value("a leader", () -> MembershipChanges.leaderAmong(all), DEADLINE);
        Await.result(now.submit(bytes("after")), DEADLINE);
        Await.until("n4 to apply a command committed without " + removed,
                () -> joinerMachine.applied().contains("after"), DEADLINE);
        assertEquals(Map.of(), dropsOf(joinerTransport, DropCause.FOREIGN_CLUSTER, DropCause.WRONG_RECEIVER),
                "nothing addressed wrongly");
    }

    private static Set<String> voters(List<RaftNode> all) {
        RaftNode leader = MembershipChanges.leaderAmong(all);
        return leader == null ? Set.of() : leader.status().voters();
    }

    private static Map<String, Long> dropsOf(KafkaTransport transport, DropCause... causes) {
        Map<String, Long> found = new java.util.TreeMap<>();
        for (DropCause cause : causes) {
            if (transport.dropCount(cause) > 0) {
                found.put(cause.key(), transport.dropCount(cause));
            }
        }
        return found;
    }

    private Set<String> topics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.listTopics().names().get(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot list the broker's topics", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
