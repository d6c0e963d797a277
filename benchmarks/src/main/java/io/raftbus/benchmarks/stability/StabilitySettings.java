package io.raftbus.benchmarks.stability;

import io.raftbus.engine.RaftConfig;

/**
 * What one {@link LeadershipStabilityBenchmark} run measures, read from system properties
 * ({@code bench.stability.*}); every Raft and Kafka setting not given keeps the library's default.
 *
 * @param seconds length of the steady phase
 * @param commandsPerSecond rate of the steady command load (open loop)
 * @param crashFailovers leader crashes measured after the steady phase (each followed by a restart)
 * @param raftConfig the nodes' configuration
 * @param lingerMs producer {@code linger.ms}, or null for the transport's default
 * @param fetchMaxWaitMs consumer {@code fetch.max.wait.ms}, or null for Kafka's default
 * @param pollTimeoutMs {@code raftbus.poll.timeout.ms}, or null for the transport's default
 */
record StabilitySettings(double seconds, double commandsPerSecond, int crashFailovers, RaftConfig raftConfig,
                         Integer lingerMs, Integer fetchMaxWaitMs, Long pollTimeoutMs) {

    static StabilitySettings fromSystemProperties() {
        RaftConfig.Builder config = RaftConfig.builder();
        Long electionMin = longProperty("bench.stability.election.min.ms");
        Long electionMax = longProperty("bench.stability.election.max.ms");
        if (electionMin != null || electionMax != null) {
            config.electionTimeoutMs(electionMin != null ? electionMin : RaftConfig.DEFAULT_ELECTION_TIMEOUT_MIN_MS,
                    electionMax != null ? electionMax : RaftConfig.DEFAULT_ELECTION_TIMEOUT_MAX_MS);
        }
        Long heartbeat = longProperty("bench.stability.heartbeat.ms");
        if (heartbeat != null) {
            config.heartbeatIntervalMs(heartbeat);
        }
        Long linger = longProperty("bench.stability.kafka.linger.ms");
        Long fetchWait = longProperty("bench.stability.kafka.fetch.max.wait.ms");
        return new StabilitySettings(
                Double.parseDouble(System.getProperty("bench.stability.seconds", "240")),
                Double.parseDouble(System.getProperty("bench.stability.rate", "20")),
                Integer.parseInt(System.getProperty("bench.stability.crashes", "3")),
                config.build(),
                linger == null ? null : linger.intValue(),
                fetchWait == null ? null : fetchWait.intValue(),
                longProperty("bench.stability.kafka.poll.timeout.ms"));
    }

    private static Long longProperty(String key) {
        String value = System.getProperty(key, "").trim();
        return value.isEmpty() ? null : Long.valueOf(value);
    }

    /** One line naming the settings that matter for leadership. */
    String describe() {
        return String.format("election %d-%d ms, heartbeat %d ms, linger.ms %s, fetch.max.wait.ms %s, poll %s ms;"
                        + " %.0f s at %.0f commands/s, %d crash failovers",
                raftConfig.electionTimeoutMinMs(), raftConfig.electionTimeoutMaxMs(),
                raftConfig.heartbeatIntervalMs(), lingerMs == null ? "default" : lingerMs,
                fetchMaxWaitMs == null ? "default" : fetchMaxWaitMs,
                pollTimeoutMs == null ? "default" : pollTimeoutMs, seconds, commandsPerSecond, crashFailovers);
    }
}
