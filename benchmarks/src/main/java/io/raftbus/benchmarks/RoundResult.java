package io.raftbus.benchmarks;

/**
 * What one timed round of {@link LoadDriver} measured.
 *
 * @param commandsPerSecond commands completed inside the round's window, per second of it
 * @param p50Micros median submit-to-complete latency of the commands submitted in the window, in microseconds
 * @param p99Micros 99th percentile of the same, in microseconds
 * @param completed commands completed successfully
 * @param failed commands whose future failed (for example a leader change mid-round)
 * @param leaderChanged whether the leader's term moved during the round
 */
public record RoundResult(double commandsPerSecond, double p50Micros, double p99Micros, long completed, long failed,
                   boolean leaderChanged) {
}
