package io.raftbus.kafka;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rolling upgrade of docs/KAFKA.md on a 3-node cluster over Kafka: n3 still runs the code before envelope
 * version 5 (it reads only version 4: {@link Version4Node}) while n1 and n2 run the new code writing version 4;
 * commands commit on all three. Then n3 is upgraded (writing 4), and every node switches to 5, one at a time;
 * commands commit on all after each step, and no node ever meets a record it cannot read.
 */
class MixedEnvelopeVersionClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(MixedEnvelopeVersionClusterTest.class);
    private static final Duration ELECTION_DEADLINE = TestDeadlines.seconds(60);
    private static final Duration COMMIT_DEADLINE = TestDeadlines.seconds(180);

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    /** What each node runs: how its transport is built from the cluster's transport configuration. */
    private final Map<String, Function<KafkaTransportConfig, KafkaTransport>> software = new ConcurrentHashMap<>();
    /** Every transport any node used, with the envelope version it wrote. */
    private final List<KafkaTransport> everyTransport = new CopyOnWriteArrayList<>();
    private final List<String> submitted = new ArrayList<>();

    @Test
    void commandsCommitOnAllNodesThroughARollingUpgradeFromVersion4To5() {
        software.put("n1", newCodeWriting(4));
        software.put("n2", newCodeWriting(4));
        software.put("n3", oldCode());
        long started = System.nanoTime();
        try (KafkaRaftCluster cluster = new KafkaRaftCluster(kafka.bootstrapServers(), kafka.uniqueName("upgrade"), 3,
                (id, config) -> {
                    KafkaTransport transport = software.get(id).apply(config);
                    everyTransport.add(transport);
                    return transport;
                }).startAll()) {
            commitOnAll(cluster, "mixed", 20);

            software.put("n3", newCodeWriting(4)); // step 1 ends: every node runs the new code, writing 4
            cluster.restart("n3");
            commitOnAll(cluster, "all-new", 10);

            String leader = cluster.awaitLeader(ELECTION_DEADLINE).nodeId();
            List<String> order = new ArrayList<>(List.of("n1", "n2", "n3"));
            order.remove(leader);
            order.add(leader); // step 2: each node switches to 5, the leader last (one election fewer)
            for (String id : order) {
                software.put(id, newCodeWriting(5));
                cluster.restart(id);
                commitOnAll(cluster, "switched-" + id, 10);
            }

            for (String id : List.of("n1", "n2", "n3")) {
                assertEquals(5, cluster.transports.get(id).config().envelopeWriteVersion(), id);
            }
            for (KafkaTransport transport : everyTransport) {
                assertEquals(0, transport.dropCount(DropCause.UNKNOWN_SCHEMA), transport.dropCounts().toString());
                assertEquals(0, transport.dropCount(DropCause.WRITE_VERSION_TOO_OLD),
                        "no snapshot was needed: " + transport.dropCounts());
            }
            LOG.info("rolling upgrade v4 -> v5 (4 restarts, {} commands) took {} ms", submitted.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Submits {@code count} commands to the leader and waits until every node applied everything so far, in order. */
    private void commitOnAll(KafkaRaftCluster cluster, String prefix, int count) {
        RaftNode leader = cluster.awaitLeader(ELECTION_DEADLINE);
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String command = prefix + "-" + i;
            submitted.add(command);
            futures.add(Submit.retrying(leader, command.getBytes(StandardCharsets.UTF_8)));
        }
        for (CompletableFuture<byte[]> f : futures) {
            Await.result(f, COMMIT_DEADLINE);
        }
        int expected = submitted.size();
        Await.until("all nodes applied the " + expected + " commands of '" + prefix + "'",
                () -> cluster.machines().values().stream().allMatch(m -> m.size() >= expected), COMMIT_DEADLINE);
        cluster.machines().forEach((id, machine) -> assertEquals(submitted, machine.applied(), id));
    }

    private static Function<KafkaTransportConfig, KafkaTransport> newCodeWriting(int version) {
        return config -> new KafkaTransport(KafkaTransportConfig.builder().from(config).envelopeWriteVersion(version)
                .build());
    }

    private static Function<KafkaTransportConfig, KafkaTransport> oldCode() {
        return config -> new KafkaTransport(KafkaTransportConfig.builder().from(config).envelopeWriteVersion(4)
                .build(), Version4Node.codec());
    }
}
