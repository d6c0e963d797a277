package io.raftbus.benchmarks.stability;

import java.util.Arrays;

/** A thread-safe growing list of measurements in milliseconds, summarized by count, percentiles and maximum. */
final class Samples {

    private double[] values = new double[1024];
    private int size;

    synchronized void add(double millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
    }

    synchronized int count() {
        return size;
    }

    /** How many samples exceed {@code millis}. */
    synchronized int countAbove(double millis) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (values[i] > millis) {
                n++;
            }
        }
        return n;
    }

    /** The {@code p}-th percentile (0–100), nearest rank; NaN when empty. */
    synchronized double percentile(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    synchronized double max() {
        return percentile(100);
    }

    /** "p50 / p99 / max" in milliseconds, with the count. */
    String summary() {
        return String.format("n=%d p50=%.1f p99=%.1f max=%.1f ms", count(), percentile(50), percentile(99), max());
    }
}
