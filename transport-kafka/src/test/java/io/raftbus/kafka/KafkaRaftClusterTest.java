package io.raftbus.kafka;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three RaftNodes with in-memory logs over Kafka: election, 1,000 commits, and commits under inbox fuzzing. */
class KafkaRaftClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRaftClusterTest.class);
    private static final Duration ELECTION_DEADLINE = TestDeadlines.seconds(60);
    private static final Duration COMMIT_DEADLINE = TestDeadlines.seconds(180);

    /** Inbound drop causes: everything a bad record on an inbox can be counted as. */
    private static final Set<DropCause> INBOUND = EnumSet.of(DropCause.NOT_AN_ENVELOPE, DropCause.UNKNOWN_SCHEMA,
            DropCause.MALFORMED, DropCause.INVALID_MESSAGE, DropCause.FOREIGN_CLUSTER, DropCause.UNKNOWN_SENDER,
            DropCause.WRONG_RECEIVER, DropCause.UNEXPECTED_TYPE);

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void threeNodesElectALeaderAndCommitAThousandCommands() {
        try (KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), kafka.uniqueName("commit"), 3)
                .startAll()) {
            RaftNode leader = cluster.awaitLeader(ELECTION_DEADLINE);
            long started = System.nanoTime();
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(Submit.retrying(leader, command("cmd-" + i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            for (CompletableFuture<byte[]> f : futures) {
                Await.result(f, COMMIT_DEADLINE);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            LOG.info("1,000 commands committed over Kafka in {} ms ({} commands/s) by leader {}", millis,
                    millis == 0 ? "n/a" : 1000 * 1000 / millis, leader.nodeId());

            Await.until("all nodes applied the 1,000 commands",
                    () -> cluster.machines().values().stream().allMatch(m -> m.size() >= 1000), COMMIT_DEADLINE);
            List<String> expected = cluster.machines().get(leader.nodeId()).applied();
            assertEquals(1000, expected.size());
            assertEquals(1000, Set.copyOf(expected).size(), "each command applied once");
            cluster.machines().values().forEach(m -> assertEquals(expected, m.applied()));
            cluster.transports.values().forEach(t -> assertEquals(0L, inboundDrops(t), t.dropCounts().toString()));
        }
    }

    @Test
    void appendEntriesAreSizedToTheInboxesMessageLimit() throws Exception {
        String clusterId = kafka.uniqueName("small");
        int topicLimit = 64 * 1024;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
            for (String node : List.of("n1", "n2", "n3")) {
                topics.add(new org.apache.kafka.clients.admin.NewTopic("raftbus." + clusterId + "." + node, 1,
                        (short) 1).configs(Map.of("max.message.bytes", String.valueOf(topicLimit))));
            }
            admin.createTopics(topics).all().get();
        }
        try (KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), clusterId, 3).startAll()) {
            RaftNode leader = cluster.awaitLeader(ELECTION_DEADLINE);
            long budget = topicLimit - KafkaTransport.HEADROOM_BYTES - RaftNode.TRANSPORT_HEADROOM_BYTES;
            assertEquals(budget, leader.config().maxBytesPerAppend(), "the engine sized AppendEntries from Kafka");
            byte[] payload = new byte[8 * 1024];
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] command = payload.clone();
                command[0] = (byte) i;
                futures.add(Submit.retrying(leader, command));
            }
            for (CompletableFuture<byte[]> f : futures) {
                Await.result(f, COMMIT_DEADLINE);
            }
            Await.until("all nodes applied the 60 commands",
                    () -> cluster.machines().values().stream().allMatch(m -> m.size() >= 60), COMMIT_DEADLINE);
            cluster.transports.values().forEach(t -> assertEquals(0L, t.dropCount(DropCause.TOO_LARGE),
                    "no AppendEntries exceeded the topic limit: " + t.dropCounts()));
        }
    }

    @Test
    void externalClientGetsTheAppliedResultOnItsOwnInbox() {
        try (KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), kafka.uniqueName("ext"), 3)
                .startAll()) {
            RaftNode leader = cluster.awaitLeader(ELECTION_DEADLINE);
            java.util.concurrent.ConcurrentLinkedQueue<RaftMessage> responses =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            try (KafkaTransport client = new KafkaTransport(cluster.transportConfig)) {
                client.start("app-1", responses::add);
                client.send(new CommandRequest(cluster.clusterId, "app-1", leader.nodeId(), 0, 99,
                        command("from-outside")));
                Await.until("the client received a response", () -> !responses.isEmpty(), COMMIT_DEADLINE);
                io.raftbus.engine.message.CommandResponse response =
                        (io.raftbus.engine.message.CommandResponse) responses.peek();
                assertEquals(99, response.requestId());
                assertEquals(io.raftbus.engine.message.CommandResponse.Status.APPLIED, response.status(),
                        response.toString());
                assertEquals("1", new String(response.result(), StandardCharsets.UTF_8),
                        "the state machine's result: first command applied");
                Await.until("all nodes applied the client's command",
                        () -> cluster.machines().values().stream().allMatch(m -> m.applied().contains("from-outside")),
                        COMMIT_DEADLINE);
            }
        }
    }

    @Test
    void clusterKeepsCommittingWhileTenThousandBadRecordsHitTheLeadersInbox() throws Exception {
        try (KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), kafka.uniqueName("fuzz"), 3)
                .startAll()) {
            RaftNode leader = cluster.awaitLeader(ELECTION_DEADLINE);
            KafkaTransport target = cluster.transports.get(leader.nodeId());
            String inbox = cluster.transportConfig.topicNames().inboxOf(leader.nodeId());
            long deliveredBefore = target.deliveredCount();

            CompletableFuture<Integer> fuzzing = CompletableFuture.supplyAsync(
                    () -> fuzz(inbox, cluster.clusterId, leader.nodeId(), 10_000));
            List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            int submitted = 0;
            while (!fuzzing.isDone() || submitted < 200) {
                futures.add(Submit.retrying(leader, command("during-fuzz-" + submitted)));
                submitted++;
                Await.result(futures.get(futures.size() - 1), COMMIT_DEADLINE); // one at a time, spread over the fuzz
            }
            assertEquals(10_000, Await.result(fuzzing, COMMIT_DEADLINE));
            Await.until("the leader counted all 10,000 bad records", () -> inboundDrops(target) == 10_000,
                    COMMIT_DEADLINE);

            int expectedCount = submitted;
            Await.until("all nodes applied the " + expectedCount + " commands",
                    () -> cluster.machines().values().stream().allMatch(m -> m.size() >= expectedCount),
                    COMMIT_DEADLINE);
            List<String> applied = cluster.machines().get(leader.nodeId()).applied();
            cluster.machines().values().forEach(m -> assertEquals(applied, m.applied()));
            assertTrue(target.deliveredCount() > deliveredBefore, "the leader's inbox kept delivering");
            LOG.info("fuzzed {}'s inbox with 10,000 records while committing {} commands; drops: {}",
                    leader.nodeId(), expectedCount, target.dropCounts());
        }
    }

    /**
     * Writes {@code count} bad records to {@code inbox}: random bytes, and mutations (bit flips, truncation, padding,
     * header damage) of real envelopes that this node must refuse anyway (another cluster, another receiver).
     * Mutating valid traffic of this cluster to this node would forge Raft messages, which Kafka ACLs, not the decoder,
     * prevent: since members change while the cluster runs, the transport passes any sender of its cluster, and a
     * forged leader's AppendEntries with a higher term would (rightly) depose the leader.
     */
    private static int fuzz(String inbox, String clusterId, String nodeId, int count) {
        MessageCodec codec = new MessageCodec(List.of(), () -> 0L); // deterministic bytes
        Random random = new Random(424242);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 5,
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < count; i++) {
                byte[] value;
                if (random.nextInt(5) == 0) {
                    value = new byte[random.nextInt(300)];
                    random.nextBytes(value);
                } else {
                    byte[] valid = codec.encode(refusable(RandomMessages.any(random), clusterId, nodeId, random));
                    value = random.nextInt(10) == 0 ? valid : MessageCodecTest.mutate(valid, random);
                }
                producer.send(new ProducerRecord<>(inbox, 0, null, value));
            }
            producer.flush();
        }
        return count;
    }

    /** Re-addresses {@code message} so that {@code nodeId} must refuse it. */
    private static RaftMessage refusable(RaftMessage message, String clusterId, String nodeId, Random random) {
        boolean foreign = random.nextBoolean();
        String cluster = foreign ? "other-" + clusterId : clusterId;
        String to = foreign ? nodeId : "nobody-here";
        String from = random.nextBoolean() ? "zz-intruder-" + random.nextInt(1000) : "n2";
        return readdress(message, cluster, from, to);
    }

    private static RaftMessage readdress(RaftMessage m, String cluster, String from, String to) {
        return Readdress.of(m, cluster, from, to);
    }

    private static long inboundDrops(KafkaTransport transport) {
        return INBOUND.stream().mapToLong(transport::dropCount).sum();
    }

    private static byte[] command(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
