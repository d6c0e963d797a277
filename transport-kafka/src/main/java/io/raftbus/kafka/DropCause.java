package io.raftbus.kafka;

import java.util.Locale;

/**
 * Why {@link KafkaTransport} dropped a message, inbound or outbound. Each cause has its own counter in
 * {@link KafkaTransport#dropCounts()}.
 */
public enum DropCause {
    /** Inbound: bytes that are not an Avro single-object envelope. */
    NOT_AN_ENVELOPE,
    /** Inbound: an envelope written with a schema (fingerprint) this node does not know. */
    UNKNOWN_SCHEMA,
    /** Inbound: a known schema, but a body that does not decode (truncated or corrupt). */
    MALFORMED,
    /** Inbound: decodes, but violates the engine's invariants. */
    INVALID_MESSAGE,
    /** Inbound: addressed to another cluster. */
    FOREIGN_CLUSTER,
    /** Inbound: a Raft protocol message from a sender that is not a member (only CommandRequests may come from clients). */
    UNKNOWN_SENDER,
    /** Inbound: addressed to another node than the inbox owner. */
    WRONG_RECEIVER,
    /** Inbound: a message type this endpoint never handles (a client only takes CommandResponses). */
    UNEXPECTED_TYPE,
    /** Inbound: the inbound handler threw. */
    HANDLER_FAILED,
    /** Outbound: the bounded outbound queue was full; the newest message was dropped. */
    QUEUE_FULL,
    /** Outbound: the encoded message exceeds {@link KafkaTransport#maxMessageBytes()}. */
    TOO_LARGE,
    /** Outbound: the message could not be encoded (a null field, a programming error). */
    ENCODE_FAILED,
    /**
     * Outbound: the envelope version this node writes ({@link KafkaTransportConfig#ENVELOPE_WRITE_VERSION_CONFIG})
     * cannot carry the message (an InstallSnapshot chunk or answer at version 4): finish the rolling upgrade.
     */
    WRITE_VERSION_TOO_OLD,
    /** Outbound: Kafka refused the record permanently, or transient failures outlasted the retries. */
    SEND_FAILED,
    /** Outbound: sent before {@code start} or after {@code close}. */
    NOT_RUNNING;

    /** Stable lower-case key used in {@link KafkaTransport#dropCounts()}, e.g. {@code foreign-cluster}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
