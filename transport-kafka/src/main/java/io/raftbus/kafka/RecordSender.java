package io.raftbus.kafka;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Encodes a message and hands it to the producer for the receiver's inbox. Refuses (and counts) messages that the
 * envelope version written cannot carry, that do not encode or that exceed the size limit; retries transient Kafka
 * failures ({@link RetriableException}) with exponential backoff (resilience4j) and counts permanent ones. Runs on
 * the outbound lanes' threads.
 */
final class RecordSender {

    private final MessageCodec codec;
    private final InboxTopicNames topics;
    private final Producer<byte[], byte[]> producer;
    private final ScheduledExecutorService retryScheduler;
    private final Retry retry;
    private final LongSupplier maxMessageBytes;
    private final DropCounters drops;
    private final AtomicLong sent = new AtomicLong();
    private final Latency sendLatency;

    RecordSender(MessageCodec codec, InboxTopicNames topics, Producer<byte[], byte[]> producer,
                 ScheduledExecutorService retryScheduler, KafkaTransportConfig config, String who,
                 LongSupplier maxMessageBytes, DropCounters drops) {
        this(codec, topics, producer, retryScheduler, config, who, maxMessageBytes, drops, new Latency());
    }

    /** @param sendLatency records, for each message Kafka acknowledged, the time from encoding to the ack */
    RecordSender(MessageCodec codec, InboxTopicNames topics, Producer<byte[], byte[]> producer,
                 ScheduledExecutorService retryScheduler, KafkaTransportConfig config, String who,
                 LongSupplier maxMessageBytes, DropCounters drops, Latency sendLatency) {
        this.sendLatency = sendLatency;
        this.codec = codec;
        this.topics = topics;
        this.producer = producer;
        this.retryScheduler = retryScheduler;
        this.maxMessageBytes = maxMessageBytes;
        this.drops = drops;
        this.retry = Retry.of("raftbus-send-" + who, RetryConfig.custom()
                .maxAttempts(config.sendRetryMaxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(config.sendRetryBackoffMs(), 2.0))
                .retryOnException(e -> unwrap(e) instanceof RetriableException)
                .build());
    }

    /** Messages Kafka acknowledged. */
    long sentCount() {
        return sent.get();
    }

    /** From encoding to Kafka's acknowledgement (retries included), of each message Kafka acknowledged. */
    Latency sendLatency() {
        return sendLatency;
    }

    void send(RaftMessage message) {
        if (!codec.carries(message)) {
            drops.dropWarningOnce(DropCause.WRITE_VERSION_TOO_OLD, "not sending " + message.getClass().getSimpleName()
                    + " to " + message.to() + ": this node writes envelope version " + codec.writeVersion() + " ("
                    + KafkaTransportConfig.ENVELOPE_WRITE_VERSION_CONFIG + "), which cannot carry snapshot transfer, "
                    + "so a follower that needs a snapshot cannot catch up. Finish the rolling upgrade: once every "
                    + "member runs code that reads envelope version " + EnvelopeVersions.CURRENT + ", set "
                    + KafkaTransportConfig.ENVELOPE_WRITE_VERSION_CONFIG + "=" + EnvelopeVersions.CURRENT
                    + " on each node, one at a time (docs/KAFKA.md, rolling upgrade)");
            return;
        }
        long startedAt = System.nanoTime();
        byte[] bytes;
        try {
            bytes = codec.encode(message);
        } catch (IllegalArgumentException e) {
            drops.drop(DropCause.ENCODE_FAILED, e.getMessage(), e);
            return;
        }
        long limit = maxMessageBytes.getAsLong();
        if (bytes.length > limit) {
            drops.drop(DropCause.TOO_LARGE, message.getClass().getSimpleName() + " to " + message.to() + " encodes to "
                    + bytes.length + " bytes, over the transport's limit of " + limit + " bytes (the inbox topics' "
                    + "max.message.bytes / the producer's max.request.size, less envelope headroom); lower "
                    + "RaftConfig.maxBytesPerAppend / maxCommandBytes / snapshotChunkBytes or raise those Kafka limits",
                    null);
            return;
        }
        String topic;
        try {
            topic = topics.inboxOf(message.to());
        } catch (IllegalArgumentException e) {
            drops.drop(DropCause.SEND_FAILED, e.getMessage(), null);
            return;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, InboxTopicNames.PARTITION, null, bytes);
        retry.executeCompletionStage(retryScheduler, () -> sendOnce(record)).whenComplete((metadata, error) -> {
            if (error == null) {
                sent.incrementAndGet();
                sendLatency.record(System.nanoTime() - startedAt);
            } else {
                Throwable cause = unwrap(error);
                String kind = cause instanceof RetriableException ? "still failing after "
                        + retry.getRetryConfig().getMaxAttempts() + " attempts" : "permanent failure";
                drops.drop(DropCause.SEND_FAILED, message.getClass().getSimpleName() + " to " + topic + ": " + kind
                        + ": " + cause, null);
            }
        });
    }

    private CompletionStage<RecordMetadata> sendOnce(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
