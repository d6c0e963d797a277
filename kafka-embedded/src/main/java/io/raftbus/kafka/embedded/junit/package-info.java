/**
 * Public test API: {@link io.raftbus.kafka.embedded.junit.KafkaBrokerExtension}, a JUnit 5 extension giving a test
 * class a Kafka bootstrap address (Testcontainers when a Docker engine is available, otherwise an embedded broker).
 * The package's non-public types (the two broker kinds behind it) are internal.
 */
package io.raftbus.kafka.embedded.junit;
