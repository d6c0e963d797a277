package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.testing.Await;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.raftbus.kafka.MessageAssertions.assertSameMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KafkaTransport against a real broker. */
class KafkaTransportTest {

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private final List<KafkaTransport> opened = new ArrayList<>();

    @AfterEach
    void closeTransports() {
        opened.forEach(KafkaTransport::close);
    }

    private KafkaTransportConfig.Builder config(String cluster, Set<String> members) {
        return KafkaTransportConfig.builder().bootstrapServers(kafka.bootstrapServers()).clusterId(cluster)
                .members(members).replicationFactor((short) 1);
    }

    private KafkaTransport start(KafkaTransportConfig config, String localId, ConcurrentLinkedQueue<RaftMessage> into) {
        KafkaTransport transport = new KafkaTransport(config);
        opened.add(transport);
        transport.start(localId, into::add);
        return transport;
    }

    @Test
    void twoNodesExchangeEveryMessageType() {
        String cluster = kafka.uniqueName("xchg");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        ConcurrentLinkedQueue<RaftMessage> atN1 = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        KafkaTransport n1 = start(config, "n1", atN1);
        KafkaTransport n2 = start(config, "n2", atN2);

        List<RaftMessage> toN2 = everyType(cluster, "n1", "n2");
        toN2.forEach(n1::send);
        Await.until("n2 received " + toN2.size() + " messages", () -> atN2.size() == toN2.size());
        List<RaftMessage> received = new ArrayList<>(atN2);
        for (int i = 0; i < toN2.size(); i++) {
            assertSameMessage(toN2.get(i), received.get(i));
        }

        VoteResponse reply = new VoteResponse(cluster, "n2", "n1", 3, true);
        n2.send(reply);
        Await.until("n1 received the reply", () -> !atN1.isEmpty());
        assertSameMessage(reply, atN1.peek());
        assertEquals(Map.of(), n1.dropCounts());
        assertEquals(Map.of(), n2.dropCounts());
        Await.until("Kafka acknowledged every send", () -> n1.sentCount() == toN2.size());
        Await.until("every acknowledged send timed", () -> n1.sendLatency().count() == toN2.size());
        Await.until("every delivered message timed", () -> n2.receiveLatency().count() == toN2.size());
        assertEquals("3600000", topicConfig(config.topicNames().inboxOf("n1"), "retention.ms"),
                "created inboxes keep messages for an hour only");
    }

    @Test
    void startsAtTheEndOfItsInbox() throws Exception {
        String cluster = kafka.uniqueName("end");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        KafkaTransport n2 = start(config, "n2", new ConcurrentLinkedQueue<>()); // creates both inboxes
        MessageCodec codec = new MessageCodec();
        try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(config.topicNames().inboxOf("n1"), 0, null,
                    codec.encode(new VoteRequest(cluster, "n2", "n1", 1, 0, 0)))).get();
        }
        ConcurrentLinkedQueue<RaftMessage> atN1 = new ConcurrentLinkedQueue<>();
        start(config, "n1", atN1);
        n2.send(new VoteRequest(cluster, "n2", "n1", 2, 0, 0)); // right after start returned
        Await.until("the message sent after start arrives", () -> !atN1.isEmpty());
        Await.until("Kafka acknowledged it", () -> n2.sentCount() == 1);
        assertEquals(List.of(2L), atN1.stream().map(RaftMessage::term).toList(),
                "the record from before start was skipped, the one after it delivered");
    }

    @Test
    void aClientWithoutInboxDoesNotHoldUpTrafficBetweenMembers() {
        String cluster = kafka.uniqueName("lanes");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2"))
                .property("producer.max.block.ms", 60_000).build();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        start(config, "n2", atN2);
        // no such inbox: the producer waits (max.block.ms) for its metadata on the client lane
        n1.send(new CommandResponse(cluster, "n1", "ghost-client", 1, 1, CommandResponse.Status.APPLIED, 1, 1, null,
                new byte[0], null));
        n1.send(new VoteRequest(cluster, "n1", "n2", 5, 0, 0));
        Await.until("the member message arrives", () -> !atN2.isEmpty());
        Await.until("Kafka acknowledged the member message", () -> n1.sentCount() == 1);
        assertEquals(0, n1.dropCount(DropCause.SEND_FAILED), "the client message is still waiting, not failed");
    }

    @Test
    void theCallersThreadNeverWaitsForAnInboxKafkaDoesNotKnow() {
        String cluster = kafka.uniqueName("direct");
        // the direct send (raftbus.send.direct) never waits on the caller's thread, though a producer that blocks
        // would wait an hour for the metadata of an inbox that does not exist
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2"))
                .property("producer.max.block.ms", 3_600_000L).build();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        start(config, "n2", atN2);

        AtomicInteger returned = new AtomicInteger();
        Thread loop = new Thread(() -> {
            for (int i = 0; i < 3; i++) { // the first goes straight to the producer, which cannot take it
                n1.send(new CommandResponse(cluster, "n1", "ghost-client", 1, i, CommandResponse.Status.APPLIED, 1, 1,
                        null, new byte[0], null));
                returned.incrementAndGet();
            }
            for (int term = 1; term <= 20; term++) {
                n1.send(new VoteRequest(cluster, "n1", "n2", term, 0, 0));
                returned.incrementAndGet();
            }
        }, "event-loop-stand-in");
        loop.setDaemon(true);
        loop.start();
        Await.until("every send returned on the caller's thread", () -> returned.get() == 23);
        Await.until("the member messages arrive", () -> atN2.size() == 20);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(),
                atN2.stream().map(RaftMessage::term).toList(), "in the order sent");
        assertEquals(0, n1.dropCount(DropCause.SEND_FAILED), "the client messages wait on their lane, not failed");
        assertEquals(0, n1.dropCount(DropCause.QUEUE_FULL));
    }

    @Test
    void withoutTheDirectSendEveryMessageStillArrivesInOrder() {
        String cluster = kafka.uniqueName("lane");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2"))
                .property(KafkaTransportConfig.DIRECT_SEND_CONFIG, false).build();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        start(config, "n2", atN2);
        for (int term = 1; term <= 20; term++) {
            n1.send(new VoteRequest(cluster, "n1", "n2", term, 0, 0));
        }
        Await.until("the messages arrive", () -> atN2.size() == 20);
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList(),
                atN2.stream().map(RaftMessage::term).toList());
    }

    @Test
    void pingPongRoundTripsAreMeasured() {
        String cluster = kafka.uniqueName("ping");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        KafkaTransport[] n2 = new KafkaTransport[1];
        java.util.concurrent.ArrayBlockingQueue<RaftMessage> pongs = new java.util.concurrent.ArrayBlockingQueue<>(10);
        KafkaTransport n1 = new KafkaTransport(config);
        opened.add(n1);
        n1.start("n1", pongs::add);
        n2[0] = new KafkaTransport(config);
        opened.add(n2[0]);
        n2[0].start("n2", m -> n2[0].send(new VoteResponse(cluster, "n2", "n1", m.term(), true)));
        int rounds = 300;
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            n1.send(new VoteRequest(cluster, "n1", "n2", i, 0, 0));
            RaftMessage pong = Await.value("pong " + i, pongs::poll);
            micros[i] = (System.nanoTime() - start) / 1000;
            assertEquals(i, pong.term());
        }
        java.util.Arrays.sort(micros);
        org.slf4j.LoggerFactory.getLogger(KafkaTransportTest.class).info(
                "{} round trips n1->n2->n1 over Kafka: p50 {} us, p90 {} us, p99 {} us, max {} us", rounds,
                micros[rounds / 2], micros[rounds * 9 / 10], micros[rounds * 99 / 100], micros[rounds - 1]);
    }

    private static String topicConfig(String topic, String key) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            org.apache.kafka.common.config.ConfigResource resource =
                    new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badRecordsAreSkippedAndCountedWhileDeliveryContinues() throws Exception {
        String cluster = kafka.uniqueName("bad");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        ConcurrentLinkedQueue<RaftMessage> atN1 = new ConcurrentLinkedQueue<>();
        KafkaTransport n1 = start(config, "n1", atN1);
        String inbox = config.topicNames().inboxOf("n1");
        MessageCodec codec = new MessageCodec();
        byte[] unknownSchema = codec.encode(new VoteRequest(cluster, "n2", "n1", 1, 0, 0));
        unknownSchema[4] ^= 0x33;

        try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            List<byte[]> records = List.of(
                    "definitely not avro".getBytes(),
                    new byte[0],
                    unknownSchema,
                    codec.encode(new VoteRequest("other-cluster", "n2", "n1", 1, 0, 0)),
                    codec.encode(new VoteRequest(cluster, "intruder", "n1", 1, 0, 0)),
                    codec.encode(new VoteRequest(cluster, "n2", "n3", 1, 0, 0)),
                    codec.encode(new CommandRequest(cluster, "client-9", "n1", 0, 5, new byte[] {1})),
                    codec.encode(new VoteRequest(cluster, "n2", "n1", 4, 0, 0)));
            for (byte[] value : records) {
                raw.send(new ProducerRecord<>(inbox, 0, null, value)).get();
            }
        }
        Await.until("the three valid messages arrive", () -> atN1.size() == 3);
        assertTrue(atN1.stream().anyMatch(m -> m instanceof CommandRequest c && c.from().equals("client-9")));
        assertTrue(atN1.stream().anyMatch(m -> m instanceof VoteRequest v && v.term() == 4));
        assertTrue(atN1.stream().anyMatch(m -> m.from().equals("intruder")),
                "a sender outside the start members reaches the engine, which decides (members change)");
        assertEquals(Map.of("not-an-envelope", 2L, "unknown-schema", 1L, "foreign-cluster", 1L,
                "wrong-receiver", 1L), n1.dropCounts());
    }

    @Test
    void clientSendsCommandsAndReceivesResponsesOnItsOwnInbox() {
        String cluster = kafka.uniqueName("client");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2", "n3")).build();
        ConcurrentLinkedQueue<RaftMessage> atClient = new ConcurrentLinkedQueue<>();
        KafkaTransport[] node = new KafkaTransport[1];
        node[0] = new KafkaTransport(config);
        opened.add(node[0]);
        node[0].start("n1", m -> {
            if (m instanceof CommandRequest r) {
                node[0].send(new CommandResponse(cluster, "n1", r.from(), 1, r.requestId(),
                        CommandResponse.Status.APPLIED, 17, 1, null, r.command(), null));
            }
        });
        KafkaTransport client = start(config, "app-1", atClient);

        client.send(new CommandRequest(cluster, "app-1", "n1", 0, 42, "set x=1".getBytes()));
        Await.until("the client got its response", () -> !atClient.isEmpty());
        CommandResponse response = (CommandResponse) atClient.peek();
        assertEquals(42, response.requestId());
        assertEquals("set x=1", new String(response.result()));
        assertEquals(Map.of(), node[0].dropCounts());
    }

    @Test
    void aClientConfiguredSoDeletesItsOwnInboxOnCloseAndAMemberNever() throws Exception {
        String cluster = kafka.uniqueName("cleanup");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).deleteClientInboxOnClose(true).build();
        KafkaTransport member = start(config, "n1", new ConcurrentLinkedQueue<>());
        KafkaTransport client = start(config, "client-7", new ConcurrentLinkedQueue<>());
        String clientInbox = config.topicNames().inboxOf("client-7");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get().contains(clientInbox));

            client.close();
            member.close();
            // deleted when close() returns; a broker's metadata may show it a moment longer
            Await.until("the client's inbox to be gone", () -> !topicNames(admin).contains(clientInbox));
            assertTrue(topicNames(admin).contains(config.topicNames().inboxOf("n1")), "a member's inbox stays");
        }
    }

    private static Set<String> topicNames(Admin admin) {
        try {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new AssertionError("listing topics failed", e);
        }
    }

    @Test
    void messageOverTheTopicLimitIsRefusedAndCounted() throws Exception {
        String cluster = kafka.uniqueName("size");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        int topicLimit = 64 * 1024;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String node : List.of("n1", "n2")) {
                topics.add(new NewTopic(config.topicNames().inboxOf(node), 1, (short) 1)
                        .configs(Map.of("max.message.bytes", String.valueOf(topicLimit))));
            }
            admin.createTopics(topics).all().get();
        }
        KafkaTransport unstarted = new KafkaTransport(config);
        opened.add(unstarted);
        assertEquals(topicLimit - KafkaTransport.HEADROOM_BYTES, unstarted.maxMessageBytes(),
                "read from the brokers before start, as RaftNode.build() asks then");

        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        start(config, "n2", atN2);
        assertEquals(topicLimit - KafkaTransport.HEADROOM_BYTES, n1.maxMessageBytes());

        n1.send(append(cluster, 1, new byte[(int) n1.maxMessageBytes()]));
        n1.send(append(cluster, 2, new byte[(int) n1.maxMessageBytes() - 200]));
        Await.until("the fitting message arrives", () -> atN2.size() == 1);
        assertEquals(2, ((AppendEntriesRequest) atN2.peek()).term());
        assertEquals(Map.of("too-large", 1L), n1.dropCounts());
    }

    @Test
    void theLargestSnapshotChunkTheEngineSendsFitsTheInboxLimit() throws Exception {
        String cluster = kafka.uniqueName("chunk");
        KafkaTransportConfig config = config(cluster, Set.of("n1", "n2")).build();
        int topicLimit = 64 * 1024;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String node : List.of("n1", "n2")) {
                topics.add(new NewTopic(config.topicNames().inboxOf(node), 1, (short) 1)
                        .configs(Map.of("max.message.bytes", String.valueOf(topicLimit))));
            }
            admin.createTopics(topics).all().get();
        }
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        KafkaTransport n1 = start(config, "n1", new ConcurrentLinkedQueue<>());
        start(config, "n2", atN2);
        Set<String> learners = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            learners.add("learner-" + i + "-".repeat(180));
        }
        byte[] chunk = new byte[(int) (n1.maxMessageBytes() - io.raftbus.engine.RaftNode.TRANSPORT_HEADROOM_BYTES)];
        new Random(9).nextBytes(chunk);
        InstallSnapshotRequest largest = new InstallSnapshotRequest(cluster, "n1", "n2", 4, 1_000_000, 3,
                new Membership(Set.of("n1", "n2"), learners), 10L * chunk.length, 42, 3L * chunk.length, chunk,
                false, 0);
        n1.send(largest);
        Await.until("the chunk arrives", () -> !atN2.isEmpty());
        assertSameMessage(largest, atN2.peek());
        assertEquals(Map.of(), n1.dropCounts());
    }

    @Test
    void missingTopicsFailStartWhenCreationIsOff() {
        String cluster = kafka.uniqueName("nocreate");
        KafkaTransport transport = new KafkaTransport(config(cluster, Set.of("n1", "n2")).createTopics(false).build());
        opened.add(transport);
        KafkaTransportException e = assertThrows(KafkaTransportException.class,
                () -> transport.start("n1", m -> { }));
        assertTrue(e.getMessage().contains("raftbus." + cluster + ".n1"), e.getMessage());
        assertTrue(e.getMessage().contains("raftbus.topic.create=false"), e.getMessage());
    }

    @Test
    void unreachableBrokerFailsStartNamingTheBootstrapServers() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + freePort;
        KafkaTransport transport = new KafkaTransport(KafkaTransportConfig.builder().bootstrapServers(bootstrap)
                .clusterId("down").members(Set.of("n1")).startupRetry(3, 50, 100).startupAttemptTimeoutMs(300)
                .build());
        opened.add(transport);
        KafkaTransportException e = assertThrows(KafkaTransportException.class,
                () -> transport.start("n1", m -> { }));
        assertTrue(e.getMessage().contains(bootstrap), e.getMessage());
        assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
        transport.send(new VoteRequest("down", "n1", "n2", 1, 0, 0));
        assertEquals(1L, transport.dropCounts().get("not-running"));
    }

    private static AppendEntriesRequest append(String cluster, long term, byte[] payload) {
        return new AppendEntriesRequest(cluster, "n1", "n2", term, 0, 0,
                List.of(new LogEntry(1, term, EntryType.COMMAND, payload)), 0);
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
    }

    private static List<RaftMessage> everyType(String cluster, String from, String to) {
        Random r = new Random(11);
        byte[] payload = new byte[1000];
        r.nextBytes(payload);
        return List.of(
                new PreVoteRequest(cluster, from, to, 2, 10, 1, -4_321_987_654_321L),
                new PreVoteResponse(cluster, from, to, 2, true, -4_321_987_654_321L),
                new VoteRequest(cluster, from, to, 2, 10, 1),
                new VoteResponse(cluster, from, to, 2, false),
                new AppendEntriesRequest(cluster, from, to, 2, 10, 1,
                        List.of(new LogEntry(11, 2, EntryType.COMMAND, payload),
                                new LogEntry(12, 2, EntryType.NOOP, new byte[0])), 9, 4),
                new AppendEntriesResponse(cluster, from, to, 2, true, 12, 0, 0, 0, 12, 4),
                new CommandRequest(cluster, from, to, 2, 7, payload),
                new CommandRequest(cluster, from, to, 2, 8, "get x".getBytes(), true),
                new CommandResponse(cluster, from, to, 2, 7, CommandResponse.Status.ACCEPTED, 13, 2, null, null,
                        null),
                new TimeoutNow(cluster, from, to, 2),
                new VoteRequest(cluster, from, to, 3, 12, 2, true),
                new InstallSnapshotRequest(cluster, from, to, 3, 12, 2, Membership.ofVoters(Set.of(from, to)),
                        3000, 0x1234_5678L, 2000, payload, true, 5),
                new InstallSnapshotResponse(cluster, from, to, 3, 12, 2, 0x1234_5678L, 3000, true, 12, 5));
    }
}
