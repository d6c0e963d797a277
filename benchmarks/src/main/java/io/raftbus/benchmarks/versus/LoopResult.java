package io.raftbus.benchmarks.versus;

import java.util.Map;

/**
 * What one run of a {@link ClosedLoop} measured.
 *
 * @param completed operations completed successfully inside the measured window (for a run of a fixed count: all)
 * @param failedByCause operations whose future failed, by the simple class name of the failure
 * @param window resources used over the measured window, from its start to its end (not the drain after it)
 * @param sortedLatencyNanos submit-to-completion latency of every successful operation, ascending
 */
record LoopResult(long completed, Map<String, Long> failedByCause, ResourceMeter.Usage window,
                  long[] sortedLatencyNanos) {

    long failed() {
        return failedByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    double perSecond() {
        return completed / (window.wallNanos() / 1e9);
    }

    /** The {@code p} quantile (0..1) of the latencies, in microseconds; NaN if none. */
    double latencyMicros(double p) {
        if (sortedLatencyNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sortedLatencyNanos.length) - 1;
        return sortedLatencyNanos[Math.max(0, Math.min(sortedLatencyNanos.length - 1, rank))] / 1e3;
    }
}
