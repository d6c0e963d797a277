package io.raftbus.benchmarks.versus;

/** One figure the side-by-side benchmark reports for each library, in the order of its table. */
enum Metric {
    COMMANDS_PER_SECOND("commands/s, 1,000 in flight", "%,.0f", true),
    CPU_PER_COMMAND("CPU µs per command (process), 1,000 in flight", "%.2f", false),
    ALLOCATION_PER_COMMAND("bytes allocated per command, 1,000 in flight", "%,.0f", false),
    P50_ONE_AT_A_TIME("p50 latency µs, one at a time", "%.1f", false),
    P99_ONE_AT_A_TIME("p99 latency µs, one at a time", "%.1f", false),
    P50_ONE_AT_A_TIME_JOINED("p50 latency µs, one at a time, caller blocked in join()", "%.1f", false),
    P99_ONE_AT_A_TIME_JOINED("p99 latency µs, one at a time, caller blocked in join()", "%.1f", false),
    READS_PER_SECOND("linearizable reads/s, 1,000 in flight", "%,.0f", true),
    IDLE_CPU("idle CPU, % of one core (3-node cluster)", "%.3f", false),
    IDLE_CPU_EQUAL_HEARTBEAT("idle CPU at MicroRaft's heartbeat (2 s) for both, % of one core", "%.3f", false),
    RETAINED_HEAP("heap retained after N commands, MB", "%.1f", false),
    RETAINED_HEAP_EQUAL_SNAPSHOTS("heap retained after N commands, both snapshotting every 50,000, MB", "%.1f",
            false);

    private final String label;
    private final String format;
    private final boolean higherIsBetter;

    Metric(String label, String format, boolean higherIsBetter) {
        this.label = label;
        this.format = format;
        this.higherIsBetter = higherIsBetter;
    }

    /** What the figure is, with the fill's command count in place of N. */
    String label(long retainedCommands) {
        return label.replace("N commands", String.format("%,d commands", retainedCommands));
    }

    String format(double value) {
        return String.format(format, value);
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }
}
