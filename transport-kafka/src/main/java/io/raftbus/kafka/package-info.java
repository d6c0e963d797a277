/**
 * Public API: {@link io.raftbus.kafka.KafkaTransport}, a {@link io.raftbus.engine.spi.Transport} over Avro records
 * on per-node inbox topics, configured by {@link io.raftbus.kafka.KafkaTransportConfig}; it fails with
 * {@link io.raftbus.kafka.KafkaTransportException} and counts dropped records by
 * {@link io.raftbus.kafka.DropCause}. {@link io.raftbus.kafka.InboxTopicNames} names the topics (for ACLs and
 * provisioning).
 *
 * <p>Internal, though public for tools and tests: {@link io.raftbus.kafka.MessageCodec} and
 * {@link io.raftbus.kafka.MessageDecodeException} (the wire format, see docs/KAFKA.md). The package's non-public
 * types (the inbox consumer, the outbound lanes, the record sender, the admin and start-up helpers) are internal.
 */
package io.raftbus.kafka;
