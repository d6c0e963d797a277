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
    /**
     * No longer counted: since members change while the cluster runs, a node takes messages of its cluster from any
     * sender and its engine drops those of non-members (its status counts them as {@code non-member}). Kept so that
     * dashboards and code naming it still work; it reads 0.
     */
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
    /**
     * Outbound: to a member whose inbox topic is not yet known to exist (a member just added, its inbox being checked
     * or created in the background); Raft sends it again once it is.
     */
    INBOX_NOT_READY,
    /** Outbound: sent before {@code start} or after {@code close}. */
    NOT_RUNNING;

    /** Stable lower-case key used in {@link KafkaTransport#dropCounts()}, e.g. {@code foreign-cluster}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
