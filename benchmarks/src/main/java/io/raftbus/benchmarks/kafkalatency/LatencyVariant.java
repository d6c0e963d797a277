package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.engine.RaftConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of settings the benchmark compares, e.g. {@code linger.ms=0}: keys and values added to the
 * {@code KafkaTransportConfig} of its clusters and probes (any key the config takes: {@code linger.ms},
 * {@code consumer.fetch.max.wait.ms}, {@code raftbus.poll.timeout.ms}, ...), and engine settings of its clusters'
 * {@link RaftConfig}, prefixed {@code engine.}: {@value #OVERLAP_KEY} ({@code true} or {@code false}). An empty
 * variant is the defaults.
 *
 * @param name as given, e.g. {@code linger.ms=0,consumer.fetch.max.wait.ms=50}, or {@code defaults}
 * @param properties the parsed settings
 */
record LatencyVariant(String name, Map<String, String> properties) {

    /** The engine key for {@link RaftConfig#leaderAppendOverlapsSend()}. */
    static final String OVERLAP_KEY = "engine.leaderAppendOverlapsSend";
    private static final String ENGINE_PREFIX = "engine.";

    /** The transport's settings: every key but the {@code engine.} ones. */
    Map<String, String> transportProperties() {
        Map<String, String> transport = new LinkedHashMap<>(properties);
        transport.keySet().removeIf(k -> k.startsWith(ENGINE_PREFIX));
        return transport;
    }

    /** The clusters' engine settings: the defaults with this variant's {@code engine.} keys. */
    RaftConfig raftConfig() {
        RaftConfig.Builder config = RaftConfig.builder();
        properties.forEach((key, value) -> {
            if (key.equals(OVERLAP_KEY)) {
                config.leaderAppendOverlapsSend(Boolean.parseBoolean(value));
            } else if (key.startsWith(ENGINE_PREFIX)) {
                throw new IllegalArgumentException("unknown engine setting '" + key + "' (known: " + OVERLAP_KEY + ")");
            }
        });
        return config.build();
    }

    /** Parses {@code spec}: variants separated by {@code ;}, each {@code key=value} pairs separated by {@code ,}. */
    static List<LatencyVariant> parseAll(String spec) {
        return java.util.Arrays.stream(spec.split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .map(LatencyVariant::parse).toList();
    }

    static LatencyVariant parse(String spec) {
        Map<String, String> props = new LinkedHashMap<>();
        if (!spec.equals("defaults")) {
            for (String pair : spec.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not key=value: '" + pair + "' in variant '" + spec + "'");
                }
                props.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        return new LatencyVariant(spec, Map.copyOf(props));
    }
}
