/**
 * Small, dependency-free building blocks for metrics: {@link io.raftbus.engine.metrics.Latency}, a thread-safe
 * latency accumulator that forwards each observation to registered observers (a Micrometer timer, say). The
 * engine and the transports feed them; binders such as {@code io.raftbus.metrics.RaftMetrics} (module
 * {@code metrics-micrometer}) expose them to a monitoring system. Nothing here depends on a metrics library.
 */
package io.raftbus.engine.metrics;
