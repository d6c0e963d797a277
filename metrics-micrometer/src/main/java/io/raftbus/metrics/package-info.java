/**
 * Micrometer binders for raftbus: {@link io.raftbus.metrics.RaftMetrics} exposes a
 * {@link io.raftbus.engine.RaftNode}'s {@link io.raftbus.engine.NodeMetrics}, and
 * {@link io.raftbus.metrics.KafkaTransportMetrics} a {@code KafkaTransport}'s latencies and counts, on any
 * {@link io.micrometer.core.instrument.MeterRegistry} (Prometheus, JMX, ...). The README's "Metrics" section lists
 * every meter.
 */
package io.raftbus.metrics;
