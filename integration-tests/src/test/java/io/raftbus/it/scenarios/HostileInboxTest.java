package io.raftbus.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.it.support.Await;
import io.raftbus.it.support.ClusterHarness;
import io.raftbus.it.support.CommandLoad;
import io.raftbus.it.support.KvCodec;
import io.raftbus.it.support.ScenarioBase;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.MessageCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Records that are not ours land in the nodes' inboxes while the cluster works: random bytes, mutated valid
 * envelopes, a command for another cluster, and a vote request from a stranger with a huge term. They are ignored
 * and counted; the cluster keeps committing and applies none of them.
 */
class HostileInboxTest extends ScenarioBase {

    private static final int GARBAGE_PER_NODE = 1_000;

    @Test
    void garbageAndForeignClusterRecordsAreIgnoredCountedAndTheClusterKeepsCommitting() throws Exception {
        ClusterHarness cluster = startCluster(3);
        String leader = cluster.awaitLeader(PATIENCE);
        long leaderTerm = cluster.node(leader).status().term();
        CommandLoad load = closeAfter(new CommandLoad(cluster, "h", 4, Integer.MAX_VALUE, 8)).start();
        Await.until("load under way", PATIENCE, () -> load.acknowledgedCount() >= 200);

        MessageCodec codec = new MessageCodec();
        Random random = new Random(7);
        // mutations of a foreign cluster's envelope: whatever still decodes is another cluster's business
        byte[] validEnvelope = codec.encode(new CommandRequest("other-" + cluster.clusterId(), "client", "n1", 0, 1,
                KvCodec.opaque("mutated")));
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String node : cluster.members()) {
                String inbox = "raftbus." + cluster.clusterId() + "." + node;
                for (int i = 0; i < GARBAGE_PER_NODE; i++) {
                    byte[] bytes = i % 2 == 0 ? randomBytes(random) : mutate(validEnvelope, random);
                    sent.add(producer.send(new ProducerRecord<>(inbox, bytes)));
                }
                sent.add(producer.send(new ProducerRecord<>(inbox, codec.encode(new CommandRequest(
                        "other-" + cluster.clusterId(), "client", node, 0, 1, KvCodec.opaque("FOREIGN"))))));
                sent.add(producer.send(new ProducerRecord<>(inbox, codec.encode(new VoteRequest(
                        cluster.clusterId(), "stranger", node, leaderTerm + 1_000, Long.MAX_VALUE / 2, 1)))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        int afterGarbage = load.acknowledgedCount();
        Await.until("the cluster to keep committing", PATIENCE, () -> load.acknowledgedCount() >= afterGarbage + 500);
        Await.until("every node to count the bad records", PATIENCE, () -> cluster.members().stream()
                .allMatch(id -> totalDrops(cluster, id) >= GARBAGE_PER_NODE / 2), () -> dropsByNode(cluster));
        load.stop();
        cluster.awaitConverged(PATIENCE);

        for (String id : cluster.members()) {
            Map<String, Long> drops = transport(cluster, id).dropCounts();
            assertThat(drops.getOrDefault("foreign-cluster", 0L)).as("foreign-cluster drops on " + id).isPositive();
            // the transport passes a sender outside its start list (members change); the engine drops its vote
            assertThat(cluster.node(id).dropCounts().getOrDefault("non-member", 0L))
                    .as("stranger's vote dropped by the engine on " + id).isPositive();
            assertThat(cluster.stateMachine(id).hasTag("FOREIGN")).isFalse();
            assertThat(cluster.stateMachine(id).missingTags(load.acknowledged())).isEmpty();
            assertThat(cluster.node(id).status().term()).as("the stranger's term was not adopted by " + id)
                    .isLessThan(leaderTerm + 1_000);
        }
        assertThat(cluster.safetyViolations()).isEmpty();
    }

    private static KafkaTransport transport(ClusterHarness cluster, String id) {
        return (KafkaTransport) cluster.member(id).transport().delegate();
    }

    private static long totalDrops(ClusterHarness cluster, String id) {
        return transport(cluster, id).dropCounts().values().stream().mapToLong(Long::longValue).sum();
    }

    private static String dropsByNode(ClusterHarness cluster) {
        StringBuilder sb = new StringBuilder();
        cluster.members().forEach(id -> sb.append(id).append('=').append(transport(cluster, id).dropCounts())
                .append(' '));
        return sb.toString();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] copy = valid.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        }
        if (random.nextBoolean()) {
            copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
        }
        return copy;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props);
    }
}
