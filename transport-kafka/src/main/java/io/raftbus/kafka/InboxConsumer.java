package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.metrics.Latency;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls this endpoint's inbox on its own thread and hands every valid message to the inbound handler. Bad records
 * (not an envelope, unknown schema, foreign cluster, non-member sender, wrong receiver, ...) are skipped and counted;
 * nothing a record contains stops the thread.
 */
final class InboxConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboxConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition inbox;
    private final MessageCodec codec;
    private final InboundFilter filter;
    private final java.util.function.Consumer<RaftMessage> inbound;
    private final DropCounters drops;
    private final Duration pollTimeout;
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final Latency receiveLatency;
    private volatile boolean running = true;

    InboxConsumer(Consumer<byte[], byte[]> consumer, TopicPartition inbox, MessageCodec codec, InboundFilter filter,
                  java.util.function.Consumer<RaftMessage> inbound, DropCounters drops, Duration pollTimeout,
                  String threadName) {
        this(consumer, inbox, codec, filter, inbound, drops, pollTimeout, threadName, new Latency());
    }

    /** @param receiveLatency records, for each delivered message, the time since its record's timestamp */
    InboxConsumer(Consumer<byte[], byte[]> consumer, TopicPartition inbox, MessageCodec codec, InboundFilter filter,
                  java.util.function.Consumer<RaftMessage> inbound, DropCounters drops, Duration pollTimeout,
                  String threadName, Latency receiveLatency) {
        this.receiveLatency = receiveLatency;
        this.consumer = consumer;
        this.inbox = inbox;
        this.codec = codec;
        this.filter = filter;
        this.inbound = inbound;
        this.drops = drops;
        this.pollTimeout = pollTimeout;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Assigns the inbox and positions at its end, resolving the offset now, so that everything written after this
     * returns is delivered. Called on the starting thread, before {@link #start()} hands the consumer to its own.
     *
     * @return the resolved start offset
     */
    long seekToEnd(Duration timeout) {
        consumer.assign(List.of(inbox));
        consumer.seekToEnd(List.of(inbox));
        return consumer.position(inbox, timeout);
    }

    void start() {
        thread.start();
    }

    /** Messages handed to the inbound handler. */
    long deliveredCount() {
        return delivered.get();
    }

    private void run() {
        long failureBackoffMs = 100;
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(pollTimeout);
                    failureBackoffMs = 100;
                } catch (WakeupException e) {
                    continue;
                } catch (RuntimeException e) {
                    // a broken connection, an authorization change, ...: keep the inbox alive and try again
                    LOG.warn("Polling inbox {} failed; retrying in {} ms", inbox, failureBackoffMs, e);
                    pause(failureBackoffMs);
                    failureBackoffMs = Math.min(failureBackoffMs * 2, 5_000);
                    continue;
                }
                long polledAt = HopTrace.ENABLED ? System.nanoTime() : 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record, polledAt);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, long polledAt) {
        RaftMessage message;
        try {
            message = codec.decode(record.value());
        } catch (MessageDecodeException e) {
            drops.drop(e.category().dropCause(), "record at " + inbox + "@" + record.offset() + ": " + e.getMessage(),
                    null);
            return;
        } catch (RuntimeException e) {
            drops.drop(DropCause.MALFORMED, "record at " + inbox + "@" + record.offset() + " broke the decoder", e);
            return;
        }
        Optional<DropCause> rejected = filter.reject(message);
        if (rejected.isPresent()) {
            drops.drop(rejected.get(), message.getClass().getSimpleName() + " from '" + message.from() + "' to '"
                    + message.to() + "' in cluster '" + message.clusterId() + "' at " + inbox + "@" + record.offset()
                    + filter.explain(rejected.get()), null);
            return;
        }
        HopTrace.mark(HopTrace.STAGE_POLLED, message, polledAt);
        HopTrace.mark(HopTrace.STAGE_HANDED_INBOUND, message);
        try {
            inbound.accept(message);
            delivered.incrementAndGet();
            recordLatency(record);
        } catch (RuntimeException e) {
            drops.drop(DropCause.HANDLER_FAILED, "inbound handler threw on " + message.getClass().getSimpleName()
                    + " from " + message.from(), e);
        }
    }

    /**
     * From the record's timestamp (the producer's wall clock when it sent the record, or the broker's if the topic
     * uses log-append time) to its delivery here: comparable across hosts only as far as their clocks agree.
     */
    private void recordLatency(ConsumerRecord<byte[], byte[]> record) {
        long timestamp = record.timestamp();
        if (timestamp >= 0) {
            receiveLatency.record(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - timestamp));
        }
    }

    private void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
