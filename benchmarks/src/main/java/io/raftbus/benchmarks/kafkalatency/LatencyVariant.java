package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.engine.RaftConfig;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLogOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of settings the benchmark compares, e.g. {@code linger.ms=0}: keys and values added to the
 * {@code KafkaTransportConfig} of its clusters and probes (any key the config takes: {@code linger.ms},
 * {@code consumer.fetch.max.wait.ms}, {@code raftbus.poll.timeout.ms}, ...), and engine settings of its clusters'
 * {@link RaftConfig}, prefixed {@code engine.}: any one-argument option of its builder, e.g. {@value #OVERLAP_KEY}
 * ({@code true} or {@code false}), and the SQLite logs' and the append probe's {@link Durability}, {@value
 * #DURABILITY_KEY} (e.g. {@code FULL}; default: the log's default). An empty variant is the defaults.
 *
 * @param name as given, e.g. {@code linger.ms=0,consumer.fetch.max.wait.ms=50}, or {@code defaults}
 * @param properties the parsed settings
 */
record LatencyVariant(String name, Map<String, String> properties) {

    /** The engine key for {@link RaftConfig#leaderAppendOverlapsSend()}. */
    static final String OVERLAP_KEY = "engine.leaderAppendOverlapsSend";
    /** The key for the SQLite logs' {@link Durability}. */
    static final String DURABILITY_KEY = "sqlite.durability";
    private static final String ENGINE_PREFIX = "engine.";
    private static final String SQLITE_PREFIX = "sqlite.";

    /** The transport's settings: every key but the {@code engine.} and {@code sqlite.} ones. */
    Map<String, String> transportProperties() {
        Map<String, String> transport = new LinkedHashMap<>(properties);
        transport.keySet().removeIf(k -> k.startsWith(ENGINE_PREFIX) || k.startsWith(SQLITE_PREFIX));
        return transport;
    }

    /** The SQLite logs' options: the defaults, with this variant's {@value #DURABILITY_KEY} if it sets one. */
    SqliteLogOptions sqliteOptions() {
        String level = properties.get(DURABILITY_KEY);
        return level == null ? SqliteLogOptions.defaults()
                : SqliteLogOptions.defaults().withDurability(Durability.valueOf(level));
    }

    /**
     * The clusters' engine settings: the defaults with this variant's {@code engine.} keys, each naming a one-argument
     * {@link RaftConfig.Builder} method taking a {@code boolean}, {@code int} or {@code long} (e.g.
     * {@value #OVERLAP_KEY}), found by name so that a variant can set an option a branch adds without this class
     * changing.
     */
    RaftConfig raftConfig() {
        RaftConfig.Builder config = RaftConfig.builder();
        properties.forEach((key, value) -> {
            if (key.startsWith(ENGINE_PREFIX)) {
                set(config, key.substring(ENGINE_PREFIX.length()), value);
            }
        });
        return config.build();
    }

    private static void set(RaftConfig.Builder config, String option, String value) {
        for (java.lang.reflect.Method method : RaftConfig.Builder.class.getMethods()) {
            if (!method.getName().equals(option) || method.getParameterCount() != 1) {
                continue;
            }
            Class<?> type = method.getParameterTypes()[0];
            Object argument = type == boolean.class ? (Object) Boolean.parseBoolean(value)
                    : type == int.class ? (Object) Integer.parseInt(value)
                    : type == long.class ? (Object) Long.parseLong(value) : null;
            if (argument == null) {
                continue;
            }
            try {
                method.invoke(config, argument);
                return;
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("engine." + option + "=" + value + ": " + e.getCause(), e);
            }
        }
        throw new IllegalArgumentException("unknown engine setting 'engine." + option + "' (not a one-argument "
                + "boolean, int or long method of RaftConfig.Builder)");
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
