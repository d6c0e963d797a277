package io.raftbus.kafka;

import org.apache.kafka.common.config.ConfigException;

import java.util.regex.Pattern;

/**
 * Names the inbox topic of a node or client from {@link KafkaTransportConfig#TOPIC_NAME_TEMPLATE_CONFIG}:
 * {@code raftbus.<cluster>.<node>} by default. Every inbox has exactly one partition, {@link #PARTITION}.
 */
public final class InboxTopicNames {

    /** The only partition of an inbox topic. */
    public static final int PARTITION = 0;

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String template;
    private final String prefix;
    private final String clusterId;

    InboxTopicNames(String template, String prefix, String clusterId) {
        if (!template.contains("{node}")) {
            throw new ConfigException(KafkaTransportConfig.TOPIC_NAME_TEMPLATE_CONFIG, template,
                    "must contain {node}, or all nodes would share one inbox");
        }
        this.template = template;
        this.prefix = prefix;
        this.clusterId = clusterId;
    }

    /**
     * The inbox topic of {@code nodeId}.
     *
     * @throws IllegalArgumentException if the resulting name is not a legal Kafka topic name
     */
    public String inboxOf(String nodeId) {
        String topic = template.replace("{prefix}", prefix).replace("{cluster}", clusterId).replace("{node}", nodeId);
        if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("Inbox topic '" + topic + "' for node '" + nodeId + "' in cluster '"
                    + clusterId + "' is not a legal Kafka topic name: use only letters, digits, '.', '_' and '-' in "
                    + "cluster ids, node ids and the topic prefix, 249 characters at most");
        }
        return topic;
    }
}
