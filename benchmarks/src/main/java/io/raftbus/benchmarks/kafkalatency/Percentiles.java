package io.raftbus.benchmarks.kafkalatency;

/**
 * The p50 and p99, in milliseconds, of one probe's samples in one round.
 *
 * @param p50 median
 * @param p99 99th percentile
 * @param count samples
 */
record Percentiles(double p50, double p99, int count) {

    static Percentiles of(Nanos samples) {
        return new Percentiles(samples.millis(50), samples.millis(99), samples.count());
    }

    @Override
    public String toString() {
        return String.format("p50 %.3f p99 %.3f ms (n=%d)", p50, p99, count);
    }
}
