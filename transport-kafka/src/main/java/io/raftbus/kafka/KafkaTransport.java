package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.Transport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A {@link Transport} over Kafka: every node (or external client) consumes only its own single-partition inbox topic,
 * {@code raftbus.<cluster>.<node>} by default, and writes each message as an Avro record ({@link MessageCodec}) to the
 * receiver's inbox.
 *
 * <ul>
 *   <li>{@link #start} checks that the brokers answer, creates missing inbox topics (a member: all members' inboxes;
 *       a client or a node started in join mode: its own), reads the topics' message size limit, and positions the
 *       consumer at the end of the inbox (old messages are useless to Raft) before returning; each step is retried
 *       with exponential backoff while the brokers are unreachable, all within
 *       {@link KafkaTransportConfig#STARTUP_TIMEOUT_MS_CONFIG} when set.</li>
 *   <li>{@link #send} never blocks: when the receiver's lane (one for members, one for clients, so a client's
 *       missing inbox cannot stall Raft traffic) holds nothing, it hands the message to the one idempotent producer
 *       itself ({@link KafkaTransportConfig#DIRECT_SEND_CONFIG}); that producer runs with {@code max.block.ms=0}, so
 *       where it would wait the message goes to the lane instead, drained by the lane's thread, which may wait. A
 *       full lane drops the newest message (see {@link OutboundLane}).</li>
 *   <li>A consumer thread (assigned partition, no consumer group, no commits) decodes, filters
 *       ({@link InboundFilter}) and hands messages to the inbound handler; bad records are skipped and counted
 *       ({@link #dropCounts()}).</li>
 * </ul>
 *
 * <p>A local id that is not among {@link KafkaTransportConfig#members()} makes this an external client: it sends
 * CommandRequests to members and receives their CommandResponses on its own inbox, unless a {@code RaftNode} tells
 * it the configuration in force ({@link #membershipChanged}): a node started in join mode, configured with the
 * current members, is a node from its first step on.
 *
 * <p>The members follow the configuration in force ({@link #membershipChanged}): a node takes messages of its
 * cluster from any sender (the engine decides who may vote), and before it sends anything to a new member it makes
 * sure, in the background, that the member's inbox exists ({@link MemberInboxes}); messages to that member meanwhile
 * are dropped and counted as {@link DropCause#INBOX_NOT_READY}, and Raft sends them again. A removed member's inbox
 * is kept (docs/KAFKA.md says how to delete it).
 */
public final class KafkaTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

    /**
     * Bytes kept free below the Kafka limit for the record batch framing and the envelope (header, fingerprint,
     * cluster id, sender and receiver ids), so an AppendEntries sized to {@link #maxMessageBytes()} by its entries
     * still fits.
     */
    public static final int HEADROOM_BYTES = 1024;

    private final KafkaTransportConfig config;
    private final MessageCodec codec;
    private final boolean directSend;
    private final Object lifecycle = new Object();
    private volatile State state = State.NEW;
    /** The Kafka-side limit (before headroom); 0 until read from the brokers. */
    private volatile long kafkaMessageLimit;
    private volatile DropCounters drops;
    private final Latency sendLatency = new Latency();
    private final Latency receiveLatency = new Latency();
    private String localId;
    private KafkaProducer<byte[], byte[]> producer;
    private ScheduledExecutorService retryScheduler;
    private RecordSender sender;
    private OutboundLane memberLane;
    private OutboundLane clientLane;
    private InboxConsumer inbox;
    private ClusterMembers members;
    private MemberInboxes inboxesOfMembers;
    /** The provisioning thread's admin client, opened on its first use there. */
    private volatile BoundedAdmin provisioningAdmin;

    private enum State { NEW, RUNNING, CLOSED }

    /** A transport with the given settings; nothing connects until {@link #start}. */
    public KafkaTransport(KafkaTransportConfig config) {
        this(config, new MessageCodec());
    }

    /**
     * A transport using a specific codec, e.g. one that also reads older schema versions; it writes the envelope
     * version of {@link KafkaTransportConfig#envelopeWriteVersion()}.
     */
    public KafkaTransport(KafkaTransportConfig config, MessageCodec codec) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = Objects.requireNonNull(codec, "codec").writing(config.envelopeWriteVersion());
        this.directSend = config.directSend();
        this.drops = new DropCounters("KafkaTransport[" + config.clusterId() + "/?]", System::nanoTime);
    }

    /**
     * Connects and starts delivery to {@code inbound}. Returns once the inbox position is resolved: every message
     * written to the inbox afterwards is delivered.
     *
     * @throws KafkaTransportException if the brokers stay unreachable through the start-up retries (or past the
     *                                 start-up timeout), no bootstrap host resolves, or the topics are missing (with
     *                                 creation off) or cannot be created; the message names the step and the cause
     * @throws IllegalStateException if started twice or after close
     */
    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        Objects.requireNonNull(localNodeId, "localNodeId");
        Objects.requireNonNull(inbound, "inbound");
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("KafkaTransport can be started once; it is " + state);
            }
            String ownInbox = config.topicNames().inboxOf(localNodeId);
            boolean member = config.members().contains(localNodeId);
            String who = (member ? "node " : "client ") + localNodeId + " of cluster " + config.clusterId();
            this.localId = localNodeId;
            this.drops = new DropCounters("KafkaTransport[" + config.clusterId() + "/" + localNodeId + "]",
                    System::nanoTime);
            Set<String> memberInboxes = memberInboxes();
            Set<String> required = new TreeSet<>(member ? memberInboxes : Set.of());
            required.add(ownInbox);
            StartupRetry retry = new StartupRetry(config, who);
            try {
                try (BoundedAdmin admin = BoundedAdmin.open(adminProperties(localNodeId), config)) {
                    retry.call("reach the brokers", t -> {
                        new InboxProvisioner(admin.admin(), t).reachBrokers();
                        return null;
                    });
                    retry.call("create or check the inbox topics " + required, t -> {
                        new InboxProvisioner(admin.admin(), t).ensureTopics(required, config.createTopics(),
                                config.replicationFactor(), config.topicRetentionMs());
                        return null;
                    });
                    long topicLimit = retry.call("read the message size limits of " + memberInboxes,
                            t -> new InboxProvisioner(admin.admin(), t).messageLimit(memberInboxes));
                    kafkaMessageLimit = Math.min(topicLimit, producerMaxRequestSize());
                }
                producer = KafkaClients.create("producer", config,
                        () -> new KafkaProducer<>(producerProperties(localNodeId)));
                retryScheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
                        "raftbus-kafka-retry-" + localNodeId));
                sender = new RecordSender(codec, config.topicNames(), producer, retryScheduler, config, localNodeId,
                        this::maxMessageBytes, drops, sendLatency,
                        KafkaClientSettings.maxBlockMs(KafkaClientSettings.producer(config, localNodeId)));
                TopicPartition partition = new TopicPartition(ownInbox, InboxTopicNames.PARTITION);
                KafkaConsumer<byte[], byte[]> consumer = KafkaClients.create("consumer", config,
                        () -> new KafkaConsumer<>(consumerProperties(localNodeId)));
                members = new ClusterMembers(localNodeId, config.members());
                // a member checked the members' inboxes above; a client or a joining node relies on them as before
                inboxesOfMembers = new MemberInboxes(config, config.members(),
                        this::provisionInbox, Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
                        "raftbus-kafka-inboxes-" + localNodeId)), this::inboxLimitSeen);
                inbox = new InboxConsumer(consumer, partition, codec,
                        new InboundFilter(config.clusterId(), members), inbound, drops,
                        Duration.ofMillis(config.pollTimeoutMs()), "raftbus-kafka-inbox-" + localNodeId,
                        receiveLatency);
                long offset = retry.call("position the consumer at the end of " + ownInbox,
                        t -> inbox.seekToEnd(Duration.ofMillis(t)));
                memberLane = new OutboundLane("raftbus-kafka-out-" + localNodeId + "-members",
                        config.outboundQueueCapacity(), sender::send, drops);
                clientLane = new OutboundLane("raftbus-kafka-out-" + localNodeId + "-clients",
                        config.outboundQueueCapacity(), sender::send, drops);
                inbox.start();
                memberLane.start();
                clientLane.start();
                state = State.RUNNING;
                LOG.info("{} on Kafka {}: inbox {} from offset {}, message limit {} bytes, writing envelope version {}",
                        who, config.bootstrapServers(), ownInbox, offset, maxMessageBytes(), codec.writeVersion());
            } catch (RuntimeException e) {
                releaseResources();
                state = State.CLOSED;
                throw e;
            }
        }
    }

    /**
     * Hands {@code message} to the producer for its receiver's inbox, or queues it on its lane when the lane holds
     * messages or the producer would have to wait. Never blocks and never throws: a message that cannot be queued
     * (not running, lane full) is dropped and counted.
     */
    @Override
    public void send(RaftMessage message) {
        if (state != State.RUNNING) {
            drops.drop(DropCause.NOT_RUNNING, "send while the transport is " + state + ": "
                    + (message == null ? "null" : message.getClass().getSimpleName()), null);
            return;
        }
        if (message == null) {
            drops.drop(DropCause.ENCODE_FAILED, "null message", null);
            return;
        }
        String to = message.to();
        OutboundLane lane;
        if (!members.isMember(to)) {
            lane = clientLane;
        } else if (inboxesOfMembers.isReady(to)) {
            lane = memberLane;
        } else {
            drops.drop(DropCause.INBOX_NOT_READY, message.getClass().getSimpleName() + " not sent: "
                    + inboxesOfMembers.whyNotReady(to), null);
            return;
        }
        HopTrace.mark(HopTrace.STAGE_SEND_CALLED, message);
        // straight to the producer when nothing of this lane's is ahead of it, and the producer need not wait
        if (!directSend || !lane.idle() || !sender.trySend(message)) {
            lane.offer(message);
        }
    }

    /**
     * Follows the configuration in force: its voters and learners are the members from now on (Raft traffic to
     * them goes on the member lane), and each new member's inbox is checked, or created when
     * {@link KafkaTransportConfig#createTopics()}, in the background before anything is sent to it. Never blocks.
     * Members no longer named are sent to on the client lane while their removal commits; their inboxes are kept.
     */
    @Override
    public void membershipChanged(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        ClusterMembers known = members;
        if (state != State.RUNNING || known == null) {
            return;
        }
        Set<String> added = known.update(membership);
        Set<String> others = new TreeSet<>(known.current());
        others.remove(localId);
        inboxesOfMembers.ensure(others);
        if (!added.isEmpty()) {
            LOG.info("{} of cluster {}: configuration {}; new members {}", localId, config.clusterId(), membership,
                    new TreeSet<>(added));
        }
    }

    /**
     * The largest encoded message this transport carries: the smallest {@code max.message.bytes} of the members'
     * inboxes (and the broker's {@code message.max.bytes}, which inboxes created later get), capped by the producer's
     * {@code max.request.size}, less {@link #HEADROOM_BYTES}.
     *
     * <p>{@code RaftNode.build()} asks before the transport is started: the first call then reads the limits from
     * the brokers (with the start-up retries); {@link #start} reads them again.
     *
     * @throws KafkaTransportException if the limits cannot be read because the brokers stay unreachable
     */
    @Override
    public long maxMessageBytes() {
        long known = kafkaMessageLimit;
        if (known > 0) {
            return known - HEADROOM_BYTES;
        }
        synchronized (lifecycle) {
            if (kafkaMessageLimit <= 0) {
                if (state == State.CLOSED) {
                    return producerMaxRequestSize() - HEADROOM_BYTES;
                }
                StartupRetry retry = new StartupRetry(config, "transport of cluster " + config.clusterId());
                Set<String> inboxes = memberInboxes();
                try (BoundedAdmin admin = BoundedAdmin.open(adminProperties("probe"), config)) {
                    retry.call("reach the brokers", t -> {
                        new InboxProvisioner(admin.admin(), t).reachBrokers();
                        return null;
                    });
                    long topicLimit = retry.call("read the message size limits of " + inboxes,
                            t -> new InboxProvisioner(admin.admin(), t).messageLimit(inboxes));
                    kafkaMessageLimit = Math.min(topicLimit, producerMaxRequestSize());
                }
            }
            return kafkaMessageLimit - HEADROOM_BYTES;
        }
    }

    /** Dropped messages by cause ({@link DropCause#key()}), only causes that occurred. */
    public Map<String, Long> dropCounts() {
        return drops.snapshot();
    }

    /** Dropped messages of one cause. */
    public long dropCount(DropCause cause) {
        return drops.count(cause);
    }

    /** Messages handed to the inbound handler so far. */
    public long deliveredCount() {
        InboxConsumer consumer = inbox;
        return consumer == null ? 0 : consumer.deliveredCount();
    }

    /** Messages acknowledged by Kafka so far. */
    public long sentCount() {
        RecordSender s = sender;
        return s == null ? 0 : s.sentCount();
    }

    /**
     * Time from encoding a message (after its wait on the outbound lane) to Kafka's acknowledgement, retries
     * included, of every message Kafka acknowledged. Live, from construction on.
     */
    public Latency sendLatency() {
        return sendLatency;
    }

    /**
     * Time from a delivered message's record timestamp (the sender's wall clock as its producer sent it) to its
     * delivery to the node: spans hosts, so only as accurate as their clocks agree (skew below zero counts as 0).
     * Live, from construction on.
     */
    public Latency receiveLatency() {
        return receiveLatency;
    }

    /** The settings. */
    public KafkaTransportConfig config() {
        return config;
    }

    /** Stops delivery, flushes what the producer holds (briefly) and releases all Kafka clients. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.CLOSED;
            releaseResources();
            if (wasRunning && config.deleteClientInboxOnClose() && !members.localIsNode()) {
                deleteOwnInbox();
            }
            LOG.info("KafkaTransport {} of cluster {} closed; drops: {}", localId, config.clusterId(), dropCounts());
        }
    }

    /** A client's inbox, on close when so configured: one bounded attempt, a failure only logged. */
    private void deleteOwnInbox() {
        String topic = config.topicNames().inboxOf(localId);
        try (BoundedAdmin admin = BoundedAdmin.open(adminProperties(localId), config)) {
            new InboxProvisioner(admin.admin(), config.startupAttemptTimeoutMs()).deleteTopic(topic);
            LOG.info("Deleted client inbox topic {}", topic);
        } catch (Exception e) {
            LOG.warn("Could not delete client inbox topic {}: {}", topic, e.toString());
        }
    }

    private void releaseResources() {
        List<AutoCloseable> parts = new ArrayList<>();
        if (inbox != null) {
            parts.add(inbox);
        }
        if (inboxesOfMembers != null) {
            parts.add(inboxesOfMembers);
        }
        parts.add(() -> {
            BoundedAdmin admin = provisioningAdmin;
            if (admin != null) {
                admin.close();
            }
        });
        if (memberLane != null) {
            parts.add(memberLane);
        }
        if (clientLane != null) {
            parts.add(clientLane);
        }
        if (retryScheduler != null) {
            parts.add(retryScheduler::shutdownNow);
        }
        if (producer != null) {
            parts.add(() -> producer.close(Duration.ofSeconds(2)));
        }
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Error while closing KafkaTransport {}: {}", localId, e.toString(), e);
            }
        }
    }

    /** One bounded attempt, on the provisioning thread, to check or create {@code topic}; returns its size limit. */
    private long provisionInbox(String topic, long timeoutMs) throws Exception {
        BoundedAdmin admin = provisioningAdmin;
        if (admin == null) {
            synchronized (lifecycle) { // not after close: nothing would close it
                if (state != State.RUNNING) {
                    throw new InterruptedException("transport closed");
                }
                admin = BoundedAdmin.open(adminProperties(localId), config);
                provisioningAdmin = admin;
            }
        }
        InboxProvisioner provisioner = new InboxProvisioner(admin.admin(), timeoutMs);
        provisioner.ensureTopics(Set.of(topic), config.createTopics(), config.replicationFactor(),
                config.topicRetentionMs());
        return provisioner.messageLimit(Set.of(topic));
    }

    /** A new member's inbox takes messages up to {@code limit} bytes: a lower limit than known lowers ours. */
    private void inboxLimitSeen(long limit) {
        long known = kafkaMessageLimit;
        if (limit < known) {
            kafkaMessageLimit = limit;
            LOG.warn("{} of cluster {}: a new member's inbox takes at most {} bytes, less than the {} bytes this node "
                    + "sized its messages for; larger messages are dropped as too-large: give every inbox the same "
                    + "max.message.bytes", localId, config.clusterId(), limit, known);
        }
    }

    private Set<String> memberInboxes() {
        Set<String> inboxes = new TreeSet<>();
        for (String m : config.members()) {
            inboxes.add(config.topicNames().inboxOf(m));
        }
        return inboxes;
    }

    private long producerMaxRequestSize() {
        Object configured = config.producerProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return configured == null ? 1_048_576 : Long.parseLong(configured.toString());
    }

    private Map<String, Object> producerProperties(String localNodeId) {
        return KafkaClientSettings.transportProducer(config, localNodeId);
    }

    private Map<String, Object> consumerProperties(String localNodeId) {
        return KafkaClientSettings.consumer(config, localNodeId);
    }

    private Map<String, Object> adminProperties(String localNodeId) {
        return KafkaClientSettings.admin(config, localNodeId);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
