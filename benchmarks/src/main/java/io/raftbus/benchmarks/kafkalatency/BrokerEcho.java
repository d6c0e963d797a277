package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.kafka.KafkaClientSettings;
import io.raftbus.kafka.KafkaTransportConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The broker's own latency with the transport's client settings ({@link KafkaClientSettings}), no raftbus code on the
 * path: endpoint A produces one small record to B's topic; B's consumer thread takes it and at once produces it back
 * to A's topic; A's consumer thread takes the echo. Measured one record at a time: the <b>hop</b> (A's send to B's
 * poll returning it) and the <b>round trip</b> (A's send to A's poll returning the echo), both on the shared
 * {@link System#nanoTime()} of this JVM. Two hops in sequence, each a produce and a fetch: what one Raft
 * AppendEntries and its acknowledgement need from Kafka at the least.
 */
final class BrokerEcho implements AutoCloseable {

    /** About an AppendEntries envelope carrying one 100-byte command. */
    static final int RECORD_BYTES = 180;

    private final TopicPartition toB;
    private final TopicPartition toA;
    private final KafkaProducer<byte[], byte[]> producerA;
    private final KafkaProducer<byte[], byte[]> producerB;
    private final Endpoint consumerA;
    private final Endpoint consumerB;
    private final AtomicLong echoed = new AtomicLong();
    private volatile Thread waiter;
    private volatile Nanos hops;
    private volatile Nanos roundTrips;

    /** Creates the two topics (named after {@code name}) and starts both endpoints. */
    BrokerEcho(KafkaTransportConfig config, String name) throws Exception {
        String topicA = "raftbus-echo." + name + ".a";
        String topicB = "raftbus-echo." + name + ".b";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topicA, 1, (short) 1), new NewTopic(topicB, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        toA = new TopicPartition(topicA, 0);
        toB = new TopicPartition(topicB, 0);
        producerA = new KafkaProducer<>(KafkaClientSettings.producer(config, "echo-a"));
        producerB = new KafkaProducer<>(KafkaClientSettings.producer(config, "echo-b"));
        Duration poll = Duration.ofMillis(config.pollTimeoutMs());
        consumerB = new Endpoint(new KafkaConsumer<>(KafkaClientSettings.consumer(config, "echo-b")), toB, poll,
                this::atB, "echo-b-" + name);
        consumerA = new Endpoint(new KafkaConsumer<>(KafkaClientSettings.consumer(config, "echo-a")), toA, poll,
                this::atA, "echo-a-" + name);
        consumerA.start();
        consumerB.start();
    }

    /** One record at a time for {@code seconds}; returns {hop, round trip}. */
    Nanos[] run(double seconds) throws InterruptedException, ExecutionException, TimeoutException {
        Nanos hop = new Nanos();
        Nanos roundTrip = new Nanos();
        hops = hop;
        roundTrips = roundTrip;
        waiter = Thread.currentThread();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        byte[] value = new byte[RECORD_BYTES];
        while (System.nanoTime() < end) {
            long before = echoed.get();
            ByteBuffer.wrap(value).putLong(System.nanoTime());
            producerA.send(new ProducerRecord<>(toB.topic(), 0, null, value.clone()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (echoed.get() == before) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("no echo within 10 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        return new Nanos[] {hop, roundTrip};
    }

    private void atB(ConsumerRecord<byte[], byte[]> record) {
        long now = System.nanoTime();
        hops.add(now - ByteBuffer.wrap(record.value()).getLong());
        producerB.send(new ProducerRecord<>(toA.topic(), 0, null, record.value()));
    }

    private void atA(ConsumerRecord<byte[], byte[]> record) {
        roundTrips.add(System.nanoTime() - ByteBuffer.wrap(record.value()).getLong());
        echoed.incrementAndGet();
        LockSupport.unpark(waiter);
    }

    @Override
    public void close() {
        consumerA.close();
        consumerB.close();
        producerA.close(Duration.ofSeconds(2));
        producerB.close(Duration.ofSeconds(2));
    }

    /** A consumer assigned to one partition, positioned at its end, polled on its own thread. */
    private static final class Endpoint {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Duration poll;
        private final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler;
        private final Thread thread;
        private volatile boolean running = true;

        Endpoint(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, Duration poll,
                 java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler, String name) {
            this.consumer = consumer;
            this.poll = poll;
            this.handler = handler;
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition, Duration.ofSeconds(30));
            this.thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    try {
                        consumer.poll(poll).forEach(handler);
                    } catch (WakeupException e) {
                        // closing
                    }
                }
            } finally {
                consumer.close(Duration.ofSeconds(1));
            }
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
