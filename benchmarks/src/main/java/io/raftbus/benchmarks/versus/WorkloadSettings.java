package io.raftbus.benchmarks.versus;

/**
 * How long and how hard the side-by-side benchmark drives each cluster, from system properties.
 *
 * @param rounds rounds; each measures both libraries, the first of them alternating ({@code bench.versus.rounds})
 * @param seconds measured window of each timed workload ({@code bench.versus.seconds})
 * @param warmUpSeconds untimed run before each timed workload ({@code bench.versus.warmup})
 * @param inFlight operations outstanding in the throughput workloads ({@code bench.versus.in.flight})
 * @param retainedCommands commands run on a fresh cluster before its retained heap is read
 *        ({@code bench.versus.retained.commands})
 * @param idleSeconds window over which an idle cluster's CPU is read ({@code bench.versus.idle.seconds})
 */
record WorkloadSettings(int rounds, double seconds, double warmUpSeconds, int inFlight, long retainedCommands,
                        double idleSeconds) {

    static WorkloadSettings fromSystemProperties() {
        return new WorkloadSettings(
                Integer.parseInt(System.getProperty("bench.versus.rounds", "3")),
                Double.parseDouble(System.getProperty("bench.versus.seconds", "2")),
                Double.parseDouble(System.getProperty("bench.versus.warmup", "0.5")),
                Integer.parseInt(System.getProperty("bench.versus.in.flight", "1000")),
                Long.parseLong(System.getProperty("bench.versus.retained.commands", "200000")),
                Double.parseDouble(System.getProperty("bench.versus.idle.seconds", "10")));
    }
}
