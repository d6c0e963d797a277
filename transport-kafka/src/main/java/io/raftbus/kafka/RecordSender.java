package io.raftbus.kafka;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Encodes a message and hands it to the producer for the receiver's inbox. Refuses (and counts) messages that the
 * envelope version written cannot carry, that do not encode or that exceed the size limit; retries transient Kafka
 * failures ({@link RetriableException}) with exponential backoff (resilience4j) and counts permanent ones.
 *
 * <p>Two ways in. {@link #send} runs on an outbound lane's thread and may wait: when the producer has no room or no
 * metadata for the topic yet (its {@code send} fails at once with a {@link TimeoutException} when the transport runs
 * it with {@code max.block.ms=0}), it tries again after short pauses, up to {@code waitForRoomMs}, as a producer
 * that blocks would have. {@link #trySend} runs on the caller's thread (a node's event loop) and never waits: when
 * the producer would have to, it returns {@code false} and the caller queues the message on its lane instead.
 */
final class RecordSender {

    private static final long LONGEST_PAUSE_MS = 50;

    private final MessageCodec codec;
    private final InboxTopicNames topics;
    private final Producer<byte[], byte[]> producer;
    private final ScheduledExecutorService retryScheduler;
    private final int maxAttempts;
    private final long retryBackoffMs;
    /** Attempts 2..n of the retry policy (null when it allows one attempt only). */
    private final Retry laterAttempts;
    private final long waitForRoomNanos;
    private final LongSupplier maxMessageBytes;
    private final DropCounters drops;
    private final AtomicLong sent = new AtomicLong();
    private final Latency sendLatency;

    RecordSender(MessageCodec codec, InboxTopicNames topics, Producer<byte[], byte[]> producer,
                 ScheduledExecutorService retryScheduler, KafkaTransportConfig config, String who,
                 LongSupplier maxMessageBytes, DropCounters drops) {
        this(codec, topics, producer, retryScheduler, config, who, maxMessageBytes, drops, new Latency(),
                KafkaClientSettings.maxBlockMs(KafkaClientSettings.producer(config, who)));
    }

    /**
     * @param sendLatency records, for each message Kafka acknowledged, the time from encoding to the ack
     * @param waitForRoomMs how long {@link #send} keeps trying while the producer has no room or metadata
     */
    RecordSender(MessageCodec codec, InboxTopicNames topics, Producer<byte[], byte[]> producer,
                 ScheduledExecutorService retryScheduler, KafkaTransportConfig config, String who,
                 LongSupplier maxMessageBytes, DropCounters drops, Latency sendLatency, long waitForRoomMs) {
        this.sendLatency = sendLatency;
        this.codec = codec;
        this.topics = topics;
        this.producer = producer;
        this.retryScheduler = retryScheduler;
        this.maxMessageBytes = maxMessageBytes;
        this.drops = drops;
        this.waitForRoomNanos = TimeUnit.MILLISECONDS.toNanos(waitForRoomMs);
        this.maxAttempts = config.sendRetryMaxAttempts();
        this.retryBackoffMs = config.sendRetryBackoffMs();
        // attempt 1 is made by the caller; attempt 2 starts one backoff later, attempt k+1 waits twice attempt k's
        this.laterAttempts = maxAttempts < 2 ? null : Retry.of("raftbus-send-" + who, RetryConfig.custom()
                .maxAttempts(maxAttempts - 1)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(retryBackoffMs * 2, 2.0))
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

    /** On a lane's thread: encodes and hands the message to the producer, waiting for room or metadata if need be. */
    void send(RaftMessage message) {
        HopTrace.mark(HopTrace.STAGE_HANDED_TO_PRODUCER, message);
        Outgoing outgoing = prepare(message);
        if (outgoing != null) {
            track(outgoing, attemptWaitingForRoom(outgoing.record));
            HopTrace.mark(HopTrace.STAGE_PRODUCER_RETURNED, message);
        }
    }

    /**
     * On the caller's thread: encodes and hands the message to the producer unless the producer would have to wait
     * for room or metadata. Never waits.
     *
     * @return {@code false} if the producer would have waited (nothing was sent: queue the message instead);
     *         {@code true} if the message was handed over, or refused and counted
     */
    boolean trySend(RaftMessage message) {
        HopTrace.mark(HopTrace.STAGE_HANDED_TO_PRODUCER, message);
        Outgoing outgoing = prepare(message);
        if (outgoing == null) {
            return true;
        }
        Attempt attempt = attempt(outgoing.record);
        if (attempt.wouldBlock != null) {
            return false;
        }
        track(outgoing, attempt.result);
        HopTrace.mark(HopTrace.STAGE_PRODUCER_RETURNED, message);
        return true;
    }

    /** A message ready for the producer. */
    private record Outgoing(RaftMessage message, ProducerRecord<byte[], byte[]> record, long startedAt) {
    }

    /** The record for {@code message}, or {@code null} if it is refused (and counted). */
    private Outgoing prepare(RaftMessage message) {
        if (!codec.carries(message)) {
            drops.dropWarningOnce(DropCause.WRITE_VERSION_TOO_OLD, "not sending " + message.getClass().getSimpleName()
                    + " to " + message.to() + ": this node writes envelope version " + codec.writeVersion() + " ("
                    + KafkaTransportConfig.ENVELOPE_WRITE_VERSION_CONFIG + "), which cannot carry snapshot transfer, "
                    + "so a follower that needs a snapshot cannot catch up. Finish the rolling upgrade: once every "
                    + "member runs code that reads envelope version " + EnvelopeVersions.CURRENT + ", set "
                    + KafkaTransportConfig.ENVELOPE_WRITE_VERSION_CONFIG + "=" + EnvelopeVersions.CURRENT
                    + " on each node, one at a time (docs/KAFKA.md, rolling upgrade)");
            return null;
        }
        long startedAt = System.nanoTime();
        byte[] bytes;
        try {
            bytes = codec.encode(message);
        } catch (IllegalArgumentException e) {
            drops.drop(DropCause.ENCODE_FAILED, e.getMessage(), e);
            return null;
        }
        long limit = maxMessageBytes.getAsLong();
        if (bytes.length > limit) {
            drops.drop(DropCause.TOO_LARGE, message.getClass().getSimpleName() + " to " + message.to() + " encodes to "
                    + bytes.length + " bytes, over the transport's limit of " + limit + " bytes (the inbox topics' "
                    + "max.message.bytes / the producer's max.request.size, less envelope headroom); lower "
                    + "RaftConfig.maxBytesPerAppend / maxCommandBytes / snapshotChunkBytes or raise those Kafka limits",
                    null);
            return null;
        }
        String topic;
        try {
            topic = topics.inboxOf(message.to());
        } catch (IllegalArgumentException e) {
            drops.drop(DropCause.SEND_FAILED, e.getMessage(), null);
            return null;
        }
        return new Outgoing(message, new ProducerRecord<>(topic, InboxTopicNames.PARTITION, null, bytes), startedAt);
    }

    /** Counts the outcome of the first attempt, or hands a transient failure to the later attempts. */
    private void track(Outgoing outgoing, CompletionStage<RecordMetadata> firstAttempt) {
        firstAttempt.whenComplete((metadata, error) -> {
            if (error == null) {
                acknowledged(outgoing);
            } else if (laterAttempts != null && unwrap(error) instanceof RetriableException) {
                retryScheduler.schedule(() -> laterAttempts.executeCompletionStage(retryScheduler,
                                () -> attemptWaitingForRoom(outgoing.record))
                        .whenComplete((m, e) -> {
                            if (e == null) {
                                acknowledged(outgoing);
                            } else {
                                failed(outgoing, e);
                            }
                        }), retryBackoffMs, TimeUnit.MILLISECONDS);
            } else {
                failed(outgoing, error);
            }
        });
    }

    private void acknowledged(Outgoing outgoing) {
        HopTrace.mark(HopTrace.STAGE_ACKNOWLEDGED, outgoing.message);
        sent.incrementAndGet();
        sendLatency.record(System.nanoTime() - outgoing.startedAt);
    }

    private void failed(Outgoing outgoing, Throwable error) {
        Throwable cause = unwrap(error);
        String kind = cause instanceof RetriableException ? "still failing after " + maxAttempts + " attempts"
                : "permanent failure";
        drops.drop(DropCause.SEND_FAILED, outgoing.message.getClass().getSimpleName() + " to "
                + outgoing.record.topic() + ": " + kind + ": " + cause, null);
    }

    /**
     * One attempt that may wait: while the producer would block (no room, no metadata yet), tries again after a
     * pause (1 ms doubling to {@value #LONGEST_PAUSE_MS} ms), up to {@code waitForRoomMs}; then fails with the
     * producer's {@link TimeoutException}, which the retry policy treats as transient.
     */
    private CompletionStage<RecordMetadata> attemptWaitingForRoom(ProducerRecord<byte[], byte[]> record) {
        long deadline = System.nanoTime() + waitForRoomNanos;
        long pauseMs = 1;
        while (true) {
            Attempt attempt = attempt(record);
            if (attempt.wouldBlock == null) {
                return attempt.result;
            }
            if (System.nanoTime() - deadline >= 0) {
                return CompletableFuture.failedFuture(attempt.wouldBlock);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMs);
            } catch (InterruptedException e) { // closing
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(attempt.wouldBlock);
            }
            pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
        }
    }

    /** One call of the producer's {@code send}. */
    private Attempt attempt(ProducerRecord<byte[], byte[]> record) {
        Attempt attempt = new Attempt(Thread.currentThread());
        try {
            producer.send(record, attempt);
        } catch (RuntimeException e) {
            attempt.result.completeExceptionally(e);
        } finally {
            attempt.caller = null;
        }
        return attempt;
    }

    /**
     * The outcome of one {@code send}. A {@link TimeoutException} reported on the calling thread, before
     * {@code send} returned, means the producer could not take the record without waiting (no metadata for the
     * topic, no buffer memory: the producer reports both this way when {@code max.block.ms} runs out): the record
     * was not taken, and {@link #wouldBlock} says so instead of {@link #result}.
     */
    private static final class Attempt implements Callback {
        final CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        volatile Thread caller;
        TimeoutException wouldBlock;

        Attempt(Thread caller) {
            this.caller = caller;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error instanceof TimeoutException timeout && Thread.currentThread() == caller) {
                wouldBlock = timeout;
            } else if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
