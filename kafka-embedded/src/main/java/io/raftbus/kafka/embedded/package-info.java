/**
 * Public test API: {@link io.raftbus.kafka.embedded.EmbeddedKafkaBroker}, a real single-node KRaft Kafka broker
 * inside the JVM, for tests and the demo. Not for production.
 */
package io.raftbus.kafka.embedded;
