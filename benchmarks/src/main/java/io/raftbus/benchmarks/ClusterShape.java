package io.raftbus.benchmarks;

/**
 * One transport/log pairing measured by {@link ClusterThroughputBenchmark}, in the order the table lists them; the
 * first is the baseline the others are compared with.
 */
public enum ClusterShape {
    MEMORY_NETWORK_MEMORY_LOG("InMemoryNetwork + InMemoryLog", false, false),
    MEMORY_NETWORK_SQLITE_LOG("InMemoryNetwork + SqliteLog (FULL)", false, true),
    KAFKA_MEMORY_LOG("KafkaTransport + InMemoryLog", true, false),
    KAFKA_SQLITE_LOG("KafkaTransport + SqliteLog (FULL)", true, true);

    private final String label;
    private final boolean kafka;
    private final boolean sqlite;

    ClusterShape(String label, boolean kafka, boolean sqlite) {
        this.label = label;
        this.kafka = kafka;
        this.sqlite = sqlite;
    }

    public String label() {
        return label;
    }

    boolean kafka() {
        return kafka;
    }

    boolean sqlite() {
        return sqlite;
    }

    /** A cluster id of its own, so Kafka inbox topics of different shapes never mix. */
    String clusterId() {
        return "bench-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
