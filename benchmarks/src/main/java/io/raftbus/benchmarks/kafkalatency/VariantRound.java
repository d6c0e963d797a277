package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.benchmarks.RoundResult;

/**
 * What one round measured for one {@link LatencyVariant}, all within a few seconds of each other.
 *
 * @param brokerHop bare Kafka clients, produce to consume, one record at a time
 * @param brokerRoundTrip bare Kafka clients, produce, consume, produce back, consume
 * @param transportHop the same hop through two {@code KafkaTransport}s
 * @param fanOutRoundTrip bare Kafka clients, each record produced to two receivers, to the first echo back
 * @param transportRoundTrip the same round trip through two {@code KafkaTransport}s
 * @param fsync one durable {@code SqliteLog.append} of one entry
 * @param kafkaSqliteOne raftbus commits, Kafka + SQLite, 1 in flight
 * @param kafkaMemoryOne raftbus commits, Kafka + in-memory log, 1 in flight
 * @param kafkaSqliteMany raftbus commits, Kafka + SQLite, many in flight
 * @param memorySqliteOne raftbus commits, InMemoryNetwork + SQLite, 1 in flight
 */
record VariantRound(Percentiles brokerHop, Percentiles brokerRoundTrip, Percentiles fanOutRoundTrip,
                    Percentiles transportHop,
                    Percentiles transportRoundTrip, Percentiles fsync, RoundResult kafkaSqliteOne,
                    RoundResult kafkaMemoryOne, RoundResult kafkaSqliteMany, RoundResult memorySqliteOne) {

    /** The goal's ratio: commit p50 ÷ (the broker's round trip p50 + one fsync p50). */
    double ratioToRoundTripPlusFsync() {
        return kafkaSqliteOne.p50Micros() / 1e3 / (brokerRoundTrip.p50() + fsync.p50());
    }

    /**
     * Commit p50 ÷ (the round trip to the first of two receivers p50 + one fsync p50): what a 3-node commit needs from
     * one broker at the least, beside the goal's one-receiver denominator.
     */
    double ratioToFanOutRoundTripPlusFsync() {
        return kafkaSqliteOne.p50Micros() / 1e3 / (fanOutRoundTrip.p50() + fsync.p50());
    }

    /** Commit p50 ÷ (round trip + two fsyncs in sequence): the leader's and a follower's, as the engine writes. */
    double ratioToRoundTripPlusTwoFsyncs() {
        return kafkaSqliteOne.p50Micros() / 1e3 / (brokerRoundTrip.p50() + 2 * fsync.p50());
    }
}
