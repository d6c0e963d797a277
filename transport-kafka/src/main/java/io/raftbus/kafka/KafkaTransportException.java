package io.raftbus.kafka;

/** The Kafka transport could not start: brokers unreachable, topics missing or not creatable, bad settings. */
public final class KafkaTransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaTransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
