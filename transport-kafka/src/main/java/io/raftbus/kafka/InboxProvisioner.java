package io.raftbus.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One start-up attempt against the brokers, each call bounded by the attempt's timeout: checks they answer, creates (or requires) the inbox topics, and reads
 * the message size limit of the topics this endpoint writes to. Retrying is the caller's business
 * ({@link StartupRetry}); a {@link FatalStartupException} means retrying cannot help.
 */
final class InboxProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(InboxProvisioner.class);

    /** Kafka's default message.max.bytes / max.message.bytes, used when the configs may not be described. */
    static final long KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private final Admin admin;
    private final long timeoutMs;

    InboxProvisioner(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /** Start-up cannot succeed by retrying (topics missing while creation is off, access denied). */
    static final class FatalStartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalStartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Checks that the brokers answer at all (the cluster's broker list). */
    void reachBrokers() throws Exception {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                .nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Makes sure {@code required} topics exist, creating missing ones with one partition if {@code create}. */
    void ensureTopics(Collection<String> required, boolean create, short replicationFactor, long retentionMs)
            throws Exception {
        Set<String> missing = missingTopics(required);
        if (!missing.isEmpty()) {
            if (!create) {
                throw new FatalStartupException("Inbox topics " + missing + " do not exist and "
                        + KafkaTransportConfig.TOPIC_CREATE_CONFIG + "=false: create them (1 partition each) or "
                        + "let raftbus create them", null);
            }
            createTopics(missing, replicationFactor, retentionMs);
        }
    }

    /** Deletes {@code topic}, waiting at most the attempt timeout; a topic already gone is fine. */
    void deleteTopic(String topic) throws Exception {
        try {
            admin.deleteTopics(List.of(topic), new DeleteTopicsOptions().timeoutMs((int) timeoutMs)).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    /**
     * The smallest message size limit among the {@code writtenTo} topics that exist and the broker's
     * {@code message.max.bytes} (which inboxes created later, e.g. by clients, get).
     */
    long messageLimit(Collection<String> writtenTo) throws Exception {
        Collection<Node> brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                .nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        long limit = brokerMessageLimit(brokers);
        Set<String> existing = new TreeSet<>(writtenTo);
        existing.removeAll(missingTopics(writtenTo));
        return Math.min(limit, topicMessageLimit(existing));
    }

    private Set<String> missingTopics(Collection<String> topics) throws Exception {
        Set<String> missing = new TreeSet<>();
        if (topics.isEmpty()) {
            return missing;
        }
        Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> futures = admin
                .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs)).topicNameValues();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> e : futures.entrySet()) {
            try {
                TopicDescription description = e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                if (description.partitions().size() != 1) {
                    LOG.warn("Inbox topic {} has {} partitions; raftbus uses partition {} only", e.getKey(),
                            description.partitions().size(), InboxTopicNames.PARTITION);
                }
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(e.getKey());
                } else if (ex.getCause() instanceof TopicAuthorizationException denied) {
                    throw new FatalStartupException("Not authorized to describe inbox topic " + e.getKey()
                            + ": grant DESCRIBE on the inbox topics (see docs/KAFKA.md)", denied);
                } else {
                    throw ex;
                }
            }
        }
        return missing;
    }

    private void createTopics(Set<String> missing, short replicationFactor, long retentionMs) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        Optional<Short> rf = replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
        for (String topic : missing) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), rf);
            if (retentionMs >= 0) {
                newTopic.configs(Map.of("retention.ms", String.valueOf(retentionMs)));
            }
            topics.add(newTopic);
        }
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin
                .createTopics(topics, new CreateTopicsOptions().timeoutMs((int) timeoutMs)).values();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                LOG.info("Created inbox topic {} (1 partition, replication factor {})", e.getKey(),
                        rf.map(String::valueOf).orElse("broker default"));
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof TopicExistsException) {
                    continue; // another node created it meanwhile
                }
                if (ex.getCause() instanceof TopicAuthorizationException
                        || ex.getCause() instanceof ClusterAuthorizationException) {
                    throw new FatalStartupException("Not authorized to create inbox topic " + e.getKey()
                            + ": grant CREATE, or create the topics beforehand and set "
                            + KafkaTransportConfig.TOPIC_CREATE_CONFIG + "=false", ex.getCause());
                }
                throw ex;
            }
        }
    }

    private long brokerMessageLimit(Collection<Node> brokers) throws Exception {
        if (brokers.isEmpty()) {
            return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
        }
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokers.iterator().next().idString());
        return describeLimit(List.of(broker), "message.max.bytes");
    }

    private long topicMessageLimit(Collection<String> topics) throws Exception {
        List<ConfigResource> resources = new ArrayList<>();
        for (String topic : topics) {
            resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
        }
        return resources.isEmpty() ? Long.MAX_VALUE : describeLimit(resources, "max.message.bytes");
    }

    private long describeLimit(List<ConfigResource> resources, String key) throws Exception {
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources, new DescribeConfigsOptions().timeoutMs((int) timeoutMs))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException
                    || e.getCause() instanceof ClusterAuthorizationException) {
                LOG.warn("Not authorized to read {} of {}; assuming Kafka's default {} bytes (grant DESCRIBE_CONFIGS "
                        + "to size messages from the real limit)", key, resources, KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
                return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
            }
            throw e;
        }
        long limit = Long.MAX_VALUE;
        Map<String, Long> found = new HashMap<>();
        for (Map.Entry<ConfigResource, Config> e : configs.entrySet()) {
            ConfigEntry entry = e.getValue().get(key);
            long value = entry == null || entry.value() == null ? KAFKA_DEFAULT_MAX_MESSAGE_BYTES
                    : Long.parseLong(entry.value());
            found.put(e.getKey().name(), value);
            limit = Math.min(limit, value);
        }
        LOG.debug("{} of {}: {}", key, resources, found);
        return limit;
    }
}
