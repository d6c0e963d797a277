package io.raftbus.engine.simulation;

/**
 * How the simulated network mistreats messages. Every message independently: dropped with {@code dropRate};
 * otherwise delivered after a uniform delay in [{@code minDelayMs}, {@code maxDelayMs}] (different delays reorder
 * messages), and delivered a second time, with its own delay, with {@code duplicateRate}.
 */
public record NetworkFaults(double dropRate, double duplicateRate, long minDelayMs, long maxDelayMs) {

    /** A perfect network with 1 ms latency. */
    public static final NetworkFaults NONE = new NetworkFaults(0, 0, 1, 1);

    public NetworkFaults {
        if (dropRate < 0 || dropRate >= 1 || duplicateRate < 0 || duplicateRate >= 1) {
            throw new IllegalArgumentException("rates must be in [0, 1)");
        }
        if (minDelayMs < 0 || maxDelayMs < minDelayMs) {
            throw new IllegalArgumentException("need 0 <= minDelayMs <= maxDelayMs");
        }
    }
}
