/**
 * Commit latency over Kafka + SQLite set against what it is made of, measured in one run: the broker's own
 * produce-to-consume hop and round trip with the transport's client settings, the same round trip through
 * {@code KafkaTransport}, one durable SQLite log append, and raftbus commits; see {@link
 * io.raftbus.benchmarks.kafkalatency.KafkaLatencyBenchmark}.
 */
package io.raftbus.benchmarks.kafkalatency;
