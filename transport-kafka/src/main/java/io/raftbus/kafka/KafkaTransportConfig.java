package io.raftbus.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link KafkaTransport}, in the style of Kafka's own client configs: every setting is a named
 * {@code *_CONFIG} key with a {@code *_DOC} string and a default, validated by a Kafka {@link ConfigDef}
 * ({@link #configDef()}, e.g. for generating documentation).
 *
 * <p>Keys starting with {@value #RAFTBUS_PREFIX} belong to raftbus. Every other key is a Kafka client property
 * passed through to the producer, the consumer and the admin client (security: {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}, ...). A key prefixed with {@code producer.}, {@code consumer.} or {@code admin.}
 * goes to that client only and overrides the shared value.
 *
 * <pre>{@code
 * KafkaTransportConfig config = KafkaTransportConfig.builder()
 *         .bootstrapServers("kafka-1:9092,kafka-2:9092")
 *         .clusterId("orders")
 *         .members(Set.of("n1", "n2", "n3"))
 *         .property("security.protocol", "SASL_SSL")
 *         .build();
 * }</pre>
 */
public final class KafkaTransportConfig {

    /** Prefix of raftbus's own keys; all other keys are passed to the Kafka clients. */
    public static final String RAFTBUS_PREFIX = "raftbus.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String BOOTSTRAP_SERVERS_DOC = "The Kafka brokers to connect to, host1:port1,host2:port2,... "
            + "Shared with the Kafka clients.";

    public static final String CLUSTER_ID_CONFIG = "raftbus.cluster.id";
    public static final String CLUSTER_ID_DOC = "Id of the Raft cluster. Part of every inbox topic name and of every "
            + "message; messages carrying another cluster id are dropped. Letters, digits, '.', '_' and '-' only.";

    public static final String MEMBERS_CONFIG = "raftbus.members";
    public static final String MEMBERS_DOC = "Ids of the cluster's voting members when the node starts (for a node "
            + "started in join mode, the current voters, without itself); the transport then follows the "
            + "configuration in force that its node tells it. A transport whose local id is one of them, or that its "
            + "node tells a configuration, is a node; any other local id is an external client, which takes only "
            + "answers to its commands. Letters, digits, '.', '_' and '-' only.";

    public static final String TOPIC_PREFIX_CONFIG = "raftbus.topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "First part of every inbox topic name (see "
            + "raftbus.topic.name.template).";
    public static final String TOPIC_PREFIX_DEFAULT = "raftbus";

    public static final String TOPIC_NAME_TEMPLATE_CONFIG = "raftbus.topic.name.template";
    public static final String TOPIC_NAME_TEMPLATE_DOC = "Name of a node's (or client's) inbox topic, with the "
            + "placeholders {prefix}, {cluster} and {node}. It must contain {node}, and {cluster} unless clusters never "
            + "share a prefix.";
    public static final String TOPIC_NAME_TEMPLATE_DEFAULT = "{prefix}.{cluster}.{node}";

    public static final String TOPIC_CREATE_CONFIG = "raftbus.topic.create";
    public static final String TOPIC_CREATE_DOC = "At start, create missing inbox topics (a node: every member's inbox, "
            + "since it writes to them; a client: its own). If false, start fails when one is missing, for deployments "
            + "where topics are provisioned by operators.";
    public static final boolean TOPIC_CREATE_DEFAULT = true;

    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "raftbus.topic.replication.factor";
    public static final String TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of inbox topics created at start; "
            + "-1 uses the broker's default.replication.factor. Inboxes hold only transient messages, but a "
            + "replication factor of 3 keeps the cluster running while a broker is down.";
    public static final short TOPIC_REPLICATION_FACTOR_DEFAULT = -1;

    public static final String TOPIC_RETENTION_MS_CONFIG = "raftbus.topic.retention.ms";
    public static final String TOPIC_RETENTION_MS_DOC = "retention.ms of inbox topics created at start. Raft never "
            + "reads an inbox from before its start, so an hour is plenty; -1 keeps the broker's default.";
    public static final long TOPIC_RETENTION_MS_DEFAULT = 3_600_000;

    public static final String CLIENT_INBOX_DELETE_ON_CLOSE_CONFIG = "raftbus.client.inbox.delete.on.close";
    public static final String CLIENT_INBOX_DELETE_ON_CLOSE_DOC = "For an external client (a local id that is not a "
            + "member): delete its own inbox topic on close(), so short-lived clients with fresh ids leave no topics "
            + "behind. A member's inbox is never deleted. Needs DELETE on the topic; a failure is logged, not thrown.";
    public static final boolean CLIENT_INBOX_DELETE_ON_CLOSE_DEFAULT = false;

    public static final String OUTBOUND_QUEUE_CAPACITY_CONFIG = "raftbus.outbound.queue.capacity";
    public static final String OUTBOUND_QUEUE_CAPACITY_DOC = "Most messages waiting to be handed to the Kafka "
            + "producer, per lane (one lane to members, one to clients). When full, send() drops the newest message "
            + "and counts it as queue-full: the engine thread never blocks, and Raft retransmits.";
    public static final int OUTBOUND_QUEUE_CAPACITY_DEFAULT = 10_000;

    public static final String LINGER_MS_CONFIG = ProducerConfig.LINGER_MS_CONFIG;
    public static final String LINGER_MS_DOC = "The producer's linger.ms. raftbus defaults it to 0 (Kafka's own "
            + "default is 5): each Raft message is sent at once. Every millisecond of linger is paid twice per commit "
            + "(the AppendEntries and its acknowledgement), and the engine already batches the commands of one round "
            + "into one message per follower, so lingering batches little; the producer still batches whatever queues "
            + "while its requests are in flight (docs/KAFKA.md, latency tuning).";
    public static final int LINGER_MS_DEFAULT = 0;

    public static final String COMPRESSION_TYPE_CONFIG = ProducerConfig.COMPRESSION_TYPE_CONFIG;
    public static final String COMPRESSION_TYPE_DOC = "The producer's compression.type: none, gzip, snappy, lz4 or "
            + "zstd. Default none; lz4 pays off when commands are large and compressible.";
    public static final String COMPRESSION_TYPE_DEFAULT = "none";

    public static final String STARTUP_RETRY_MAX_ATTEMPTS_CONFIG = "raftbus.startup.retry.max.attempts";
    public static final String STARTUP_RETRY_MAX_ATTEMPTS_DOC = "How many times start() tries to reach the brokers "
            + "(and create or check topics) before failing with an exception naming the bootstrap servers.";
    public static final int STARTUP_RETRY_MAX_ATTEMPTS_DEFAULT = 8;

    public static final String STARTUP_RETRY_BACKOFF_MS_CONFIG = "raftbus.startup.retry.backoff.ms";
    public static final String STARTUP_RETRY_BACKOFF_MS_DOC = "Wait before the second start-up attempt; doubles after "
            + "each failed attempt up to raftbus.startup.retry.backoff.max.ms.";
    public static final long STARTUP_RETRY_BACKOFF_MS_DEFAULT = 250;

    public static final String STARTUP_RETRY_BACKOFF_MAX_MS_CONFIG = "raftbus.startup.retry.backoff.max.ms";
    public static final String STARTUP_RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two start-up attempts.";
    public static final long STARTUP_RETRY_BACKOFF_MAX_MS_DEFAULT = 5_000;

    public static final String STARTUP_ATTEMPT_TIMEOUT_MS_CONFIG = "raftbus.startup.attempt.timeout.ms";
    public static final String STARTUP_ATTEMPT_TIMEOUT_MS_DOC = "How long one start-up attempt waits for the brokers.";
    public static final long STARTUP_ATTEMPT_TIMEOUT_MS_DEFAULT = 5_000;

    public static final String STARTUP_TIMEOUT_MS_CONFIG = "raftbus.startup.timeout.ms";
    public static final String STARTUP_TIMEOUT_MS_DOC = "Bound on the whole of start(), and separately on a "
            + "maxMessageBytes() call before start() (RaftNode.build() makes one): no start-up attempt waits past it "
            + "and none begins after it; the call then fails naming the step it was at and the last cause. 0 "
            + "(default): bounded only by the attempts, raftbus.startup.retry.max.attempts x "
            + "raftbus.startup.attempt.timeout.ms plus the backoffs, per step.";
    public static final long STARTUP_TIMEOUT_MS_DEFAULT = 0;

    public static final String SEND_RETRY_MAX_ATTEMPTS_CONFIG = "raftbus.send.retry.max.attempts";
    public static final String SEND_RETRY_MAX_ATTEMPTS_DOC = "Attempts to send one message when Kafka reports a "
            + "transient (retriable) failure, on top of the producer's own retries; then the message is dropped and "
            + "counted as send-failed, and Raft's retransmission takes over. 1 disables raftbus's retry.";
    public static final int SEND_RETRY_MAX_ATTEMPTS_DEFAULT = 3;

    public static final String SEND_RETRY_BACKOFF_MS_CONFIG = "raftbus.send.retry.backoff.ms";
    public static final String SEND_RETRY_BACKOFF_MS_DOC = "Wait before re-sending after a transient failure; doubles "
            + "per attempt.";
    public static final long SEND_RETRY_BACKOFF_MS_DEFAULT = 100;

    public static final String DIRECT_SEND_CONFIG = "raftbus.send.direct";
    public static final String DIRECT_SEND_DOC = "Whether send() hands a message to the producer on the caller's "
            + "thread (a node's event loop) when nothing waits on its outbound lane, saving the lane thread's wake-up "
            + "on every hop. The producer then runs with max.block.ms=0, so its send never waits: when it would (no "
            + "metadata for the receiver's inbox yet, no buffer memory), the message goes to the lane, whose thread "
            + "waits up to the configured max.block.ms as before. false: every message goes through the lane.";
    public static final boolean DIRECT_SEND_DEFAULT = true;

    public static final String ENVELOPE_WRITE_VERSION_CONFIG = "raftbus.envelope.write.version";
    public static final String ENVELOPE_WRITE_VERSION_DOC = "The Avro envelope version this node writes: 5 (the "
            + "current one, which carries snapshot transfer) or 4. A node reads both. During a rolling upgrade from "
            + "a version that reads only envelope version 4, run the new version with 4 on every node first, then "
            + "switch each node to 5. At 4, InstallSnapshot messages are not sent (dropped and counted as "
            + "write-version-too-old), so followers that need a snapshot catch up only after the switch.";
    public static final int ENVELOPE_WRITE_VERSION_DEFAULT = EnvelopeVersions.CURRENT;

    public static final String POLL_TIMEOUT_MS_CONFIG = "raftbus.poll.timeout.ms";
    public static final String POLL_TIMEOUT_MS_DOC = "Longest a consumer poll waits for records; bounds how fast "
            + "close() stops the consumer thread.";
    public static final long POLL_TIMEOUT_MS_DEFAULT = 200;

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    BOOTSTRAP_SERVERS_DOC)
            .define(CLUSTER_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, CLUSTER_ID_DOC)
            .define(MEMBERS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, MEMBERS_DOC)
            .define(TOPIC_PREFIX_CONFIG, Type.STRING, TOPIC_PREFIX_DEFAULT, Importance.MEDIUM, TOPIC_PREFIX_DOC)
            .define(TOPIC_NAME_TEMPLATE_CONFIG, Type.STRING, TOPIC_NAME_TEMPLATE_DEFAULT, Importance.LOW,
                    TOPIC_NAME_TEMPLATE_DOC)
            .define(TOPIC_CREATE_CONFIG, Type.BOOLEAN, TOPIC_CREATE_DEFAULT, Importance.MEDIUM, TOPIC_CREATE_DOC)
            .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, TOPIC_REPLICATION_FACTOR_DEFAULT,
                    Importance.MEDIUM, TOPIC_REPLICATION_FACTOR_DOC)
            .define(TOPIC_RETENTION_MS_CONFIG, Type.LONG, TOPIC_RETENTION_MS_DEFAULT, Range.atLeast(-1),
                    Importance.LOW, TOPIC_RETENTION_MS_DOC)
            .define(CLIENT_INBOX_DELETE_ON_CLOSE_CONFIG, Type.BOOLEAN, CLIENT_INBOX_DELETE_ON_CLOSE_DEFAULT,
                    Importance.LOW, CLIENT_INBOX_DELETE_ON_CLOSE_DOC)
            .define(OUTBOUND_QUEUE_CAPACITY_CONFIG, Type.INT, OUTBOUND_QUEUE_CAPACITY_DEFAULT, Range.atLeast(1),
                    Importance.LOW, OUTBOUND_QUEUE_CAPACITY_DOC)
            .define(LINGER_MS_CONFIG, Type.INT, LINGER_MS_DEFAULT, Range.atLeast(0), Importance.MEDIUM,
                    LINGER_MS_DOC)
            .define(COMPRESSION_TYPE_CONFIG, Type.STRING, COMPRESSION_TYPE_DEFAULT,
                    ConfigDef.ValidString.in("none", "gzip", "snappy", "lz4", "zstd"), Importance.MEDIUM,
                    COMPRESSION_TYPE_DOC)
            .define(STARTUP_RETRY_MAX_ATTEMPTS_CONFIG, Type.INT, STARTUP_RETRY_MAX_ATTEMPTS_DEFAULT,
                    Range.atLeast(1), Importance.LOW, STARTUP_RETRY_MAX_ATTEMPTS_DOC)
            .define(STARTUP_RETRY_BACKOFF_MS_CONFIG, Type.LONG, STARTUP_RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, STARTUP_RETRY_BACKOFF_MS_DOC)
            .define(STARTUP_RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, STARTUP_RETRY_BACKOFF_MAX_MS_DEFAULT,
                    Range.atLeast(1), Importance.LOW, STARTUP_RETRY_BACKOFF_MAX_MS_DOC)
            .define(STARTUP_ATTEMPT_TIMEOUT_MS_CONFIG, Type.LONG, STARTUP_ATTEMPT_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(1), Importance.LOW, STARTUP_ATTEMPT_TIMEOUT_MS_DOC)
            .define(STARTUP_TIMEOUT_MS_CONFIG, Type.LONG, STARTUP_TIMEOUT_MS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, STARTUP_TIMEOUT_MS_DOC)
            .define(SEND_RETRY_MAX_ATTEMPTS_CONFIG, Type.INT, SEND_RETRY_MAX_ATTEMPTS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, SEND_RETRY_MAX_ATTEMPTS_DOC)
            .define(SEND_RETRY_BACKOFF_MS_CONFIG, Type.LONG, SEND_RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, SEND_RETRY_BACKOFF_MS_DOC)
            .define(POLL_TIMEOUT_MS_CONFIG, Type.LONG, POLL_TIMEOUT_MS_DEFAULT, Range.atLeast(1), Importance.LOW,
                    POLL_TIMEOUT_MS_DOC)
            .define(DIRECT_SEND_CONFIG, Type.BOOLEAN, DIRECT_SEND_DEFAULT, Importance.LOW, DIRECT_SEND_DOC)
            .define(ENVELOPE_WRITE_VERSION_CONFIG, Type.INT, ENVELOPE_WRITE_VERSION_DEFAULT,
                    Range.between(EnvelopeVersions.PREVIOUS, EnvelopeVersions.CURRENT), Importance.MEDIUM,
                    ENVELOPE_WRITE_VERSION_DOC);

    private static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.");

    private final Map<String, Object> originals;
    private final AbstractConfig parsed;
    private final Set<String> members;
    private final InboxTopicNames topicNames;

    private KafkaTransportConfig(Map<String, Object> originals) {
        this.originals = Map.copyOf(originals);
        this.parsed = new AbstractConfig(CONFIG, originals, false);
        List<String> memberList = parsed.getList(MEMBERS_CONFIG);
        if (memberList.isEmpty()) {
            throw new ConfigException(MEMBERS_CONFIG, memberList, "a cluster needs at least one member");
        }
        this.members = Set.copyOf(new LinkedHashSet<>(memberList));
        this.topicNames = new InboxTopicNames(parsed.getString(TOPIC_NAME_TEMPLATE_CONFIG),
                parsed.getString(TOPIC_PREFIX_CONFIG), clusterId());
        for (String member : members) {
            topicNames.inboxOf(member); // validates every member's topic name now, not at first send
        }
    }

    /** The settings as a Kafka {@link ConfigDef}, e.g. for {@code configDef().toHtml()}. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Parses settings from a map (e.g. loaded from a properties file); see the class doc for the key rules. */
    public static KafkaTransportConfig fromMap(Map<String, ?> settings) {
        return new KafkaTransportConfig(new HashMap<>(settings));
    }

    /** A builder; bootstrap servers, cluster id and members are required. */
    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return String.join(",", parsed.getList(BOOTSTRAP_SERVERS_CONFIG));
    }

    public String clusterId() {
        return parsed.getString(CLUSTER_ID_CONFIG);
    }

    /**
     * The cluster's voting members at start ({@link #MEMBERS_DOC}); after membership changes the transport follows
     * the configuration its node tells it instead.
     */
    public Set<String> members() {
        return members;
    }

    /** Inbox topic naming. */
    public InboxTopicNames topicNames() {
        return topicNames;
    }

    public boolean createTopics() {
        return parsed.getBoolean(TOPIC_CREATE_CONFIG);
    }

    public short replicationFactor() {
        return parsed.getShort(TOPIC_REPLICATION_FACTOR_CONFIG);
    }

    public long topicRetentionMs() {
        return parsed.getLong(TOPIC_RETENTION_MS_CONFIG);
    }

    /** See {@link #CLIENT_INBOX_DELETE_ON_CLOSE_DOC}. */
    public boolean deleteClientInboxOnClose() {
        return parsed.getBoolean(CLIENT_INBOX_DELETE_ON_CLOSE_CONFIG);
    }

    public int outboundQueueCapacity() {
        return parsed.getInt(OUTBOUND_QUEUE_CAPACITY_CONFIG);
    }

    public int startupRetryMaxAttempts() {
        return parsed.getInt(STARTUP_RETRY_MAX_ATTEMPTS_CONFIG);
    }

    public long startupRetryBackoffMs() {
        return parsed.getLong(STARTUP_RETRY_BACKOFF_MS_CONFIG);
    }

    public long startupRetryBackoffMaxMs() {
        return parsed.getLong(STARTUP_RETRY_BACKOFF_MAX_MS_CONFIG);
    }

    public long startupAttemptTimeoutMs() {
        return parsed.getLong(STARTUP_ATTEMPT_TIMEOUT_MS_CONFIG);
    }

    /** See {@link #STARTUP_TIMEOUT_MS_DOC}; 0 when start-up is bounded by its attempts only. */
    public long startupTimeoutMs() {
        return parsed.getLong(STARTUP_TIMEOUT_MS_CONFIG);
    }

    public int sendRetryMaxAttempts() {
        return parsed.getInt(SEND_RETRY_MAX_ATTEMPTS_CONFIG);
    }

    public long sendRetryBackoffMs() {
        return parsed.getLong(SEND_RETRY_BACKOFF_MS_CONFIG);
    }

    public long pollTimeoutMs() {
        return parsed.getLong(POLL_TIMEOUT_MS_CONFIG);
    }

    /** See {@link #DIRECT_SEND_DOC}. */
    public boolean directSend() {
        return parsed.getBoolean(DIRECT_SEND_CONFIG);
    }

    /** See {@link #ENVELOPE_WRITE_VERSION_DOC}: 4 or 5. */
    public int envelopeWriteVersion() {
        return parsed.getInt(ENVELOPE_WRITE_VERSION_CONFIG);
    }

    /** Properties for the producer: the shared client properties, then {@code producer.*} overrides. */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = clientProperties("producer.");
        props.put(LINGER_MS_CONFIG, parsed.getInt(LINGER_MS_CONFIG));
        props.put(COMPRESSION_TYPE_CONFIG, parsed.getString(COMPRESSION_TYPE_CONFIG));
        props.putAll(parsed.originalsWithPrefix("producer."));
        return props;
    }

    /** Properties for the consumer: the shared client properties, then {@code consumer.*} overrides. */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> props = clientProperties("consumer.");
        props.remove(LINGER_MS_CONFIG);
        props.remove(COMPRESSION_TYPE_CONFIG);
        props.putAll(parsed.originalsWithPrefix("consumer."));
        return props;
    }

    /** Properties for the admin client: the shared client properties, then {@code admin.*} overrides. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> props = clientProperties("admin.");
        props.remove(LINGER_MS_CONFIG);
        props.remove(COMPRESSION_TYPE_CONFIG);
        props.putAll(parsed.originalsWithPrefix("admin."));
        return props;
    }

    /** All settings as given (raftbus's and pass-through), e.g. to derive a client's config from a node's. */
    public Map<String, Object> originals() {
        return originals;
    }

    private Map<String, Object> clientProperties(String ownPrefix) {
        Map<String, Object> props = new HashMap<>();
        for (Map.Entry<String, Object> e : originals.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(RAFTBUS_PREFIX) || CLIENT_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            props.put(key, e.getValue());
        }
        props.put(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    @Override
    public String toString() {
        return "KafkaTransportConfig[bootstrap=" + bootstrapServers() + ", cluster=" + clusterId() + ", members="
                + members + "]";
    }

    /** Builds a {@link KafkaTransportConfig}. */
    public static final class Builder {
        private final Map<String, Object> settings = new HashMap<>();

        private Builder() {
        }

        /** Starts from an existing configuration. */
        public Builder from(KafkaTransportConfig config) {
            settings.putAll(config.originals);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            return property(BOOTSTRAP_SERVERS_CONFIG, servers);
        }

        public Builder clusterId(String clusterId) {
            return property(CLUSTER_ID_CONFIG, clusterId);
        }

        public Builder members(Collection<String> members) {
            return property(MEMBERS_CONFIG, List.copyOf(members));
        }

        public Builder topicPrefix(String prefix) {
            return property(TOPIC_PREFIX_CONFIG, prefix);
        }

        public Builder topicNameTemplate(String template) {
            return property(TOPIC_NAME_TEMPLATE_CONFIG, template);
        }

        public Builder createTopics(boolean create) {
            return property(TOPIC_CREATE_CONFIG, create);
        }

        public Builder replicationFactor(short replicationFactor) {
            return property(TOPIC_REPLICATION_FACTOR_CONFIG, replicationFactor);
        }

        public Builder topicRetentionMs(long retentionMs) {
            return property(TOPIC_RETENTION_MS_CONFIG, retentionMs);
        }

        public Builder deleteClientInboxOnClose(boolean delete) {
            return property(CLIENT_INBOX_DELETE_ON_CLOSE_CONFIG, delete);
        }

        public Builder outboundQueueCapacity(int capacity) {
            return property(OUTBOUND_QUEUE_CAPACITY_CONFIG, capacity);
        }

        public Builder lingerMs(int lingerMs) {
            return property(LINGER_MS_CONFIG, lingerMs);
        }

        public Builder compressionType(String compressionType) {
            return property(COMPRESSION_TYPE_CONFIG, compressionType);
        }

        /** Start-up retry: attempts, first backoff and longest backoff. */
        public Builder startupRetry(int maxAttempts, long backoffMs, long backoffMaxMs) {
            property(STARTUP_RETRY_MAX_ATTEMPTS_CONFIG, maxAttempts);
            property(STARTUP_RETRY_BACKOFF_MS_CONFIG, backoffMs);
            return property(STARTUP_RETRY_BACKOFF_MAX_MS_CONFIG, backoffMaxMs);
        }

        public Builder startupAttemptTimeoutMs(long timeoutMs) {
            return property(STARTUP_ATTEMPT_TIMEOUT_MS_CONFIG, timeoutMs);
        }

        /** See {@link #STARTUP_TIMEOUT_MS_DOC}. */
        public Builder startupTimeoutMs(long timeoutMs) {
            return property(STARTUP_TIMEOUT_MS_CONFIG, timeoutMs);
        }

        /** Send retry on transient failures: attempts and first backoff. */
        public Builder sendRetry(int maxAttempts, long backoffMs) {
            property(SEND_RETRY_MAX_ATTEMPTS_CONFIG, maxAttempts);
            return property(SEND_RETRY_BACKOFF_MS_CONFIG, backoffMs);
        }

        /** See {@link #ENVELOPE_WRITE_VERSION_DOC}: 4 while some member still reads only version 4, else 5. */
        public Builder envelopeWriteVersion(int version) {
            return property(ENVELOPE_WRITE_VERSION_CONFIG, version);
        }

        /**
         * Any setting: a {@code raftbus.*} key or a Kafka client property (SASL, SSL, ...), optionally prefixed
         * {@code producer.}, {@code consumer.} or {@code admin.} to target one client.
         */
        public Builder property(String key, Object value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigException naming the offending key
         */
        public KafkaTransportConfig build() {
            return new KafkaTransportConfig(settings);
        }
    }
}
