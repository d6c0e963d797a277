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
import java.util.ArrayList;
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

    private final TopicPartition toA;
    private final List<TopicPartition> toReceivers = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producerA;
    private final List<KafkaProducer<byte[], byte[]>> receiverProducers = new ArrayList<>();
    private final Endpoint consumerA;
    private final List<Endpoint> receivers = new ArrayList<>();
    private final AtomicLong echoed = new AtomicLong();
    /** The stamp of the record under way: only the first echo of it ends a round trip. */
    private volatile long current;
    private volatile Thread waiter;
    private volatile Nanos hops;
    private volatile Nanos roundTrips;

    /** Creates the two topics (named after {@code name}) and starts both endpoints. */
    BrokerEcho(KafkaTransportConfig config, String name) throws Exception {
        this(config, name, 1);
    }

    /**
     * As {@link #BrokerEcho(KafkaTransportConfig, String)} with {@code receiverCount} endpoints instead of B alone: A
     * produces each record to every receiver's topic, as a Raft leader sends an AppendEntries to each follower, each
     * receiver echoes it, and the first echo back ends the round trip (a 3-node commit waits for one follower's
     * answer); the hop is timed at the first receiver.
     */
    BrokerEcho(KafkaTransportConfig config, String name, int receiverCount) throws Exception {
        String topicA = "raftbus-echo." + name + ".a";
        List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic(topicA, 1, (short) 1)));
        for (int r = 0; r < receiverCount; r++) {
            topics.add(new NewTopic(receiverTopic(name, r), 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        toA = new TopicPartition(topicA, 0);
        producerA = new KafkaProducer<>(KafkaClientSettings.producer(config, "echo-a"));
        Duration poll = Duration.ofMillis(config.pollTimeoutMs());
        for (int r = 0; r < receiverCount; r++) {
            String id = r == 0 ? "b" : "b" + r;
            TopicPartition to = new TopicPartition(receiverTopic(name, r), 0);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClientSettings.producer(config,
                    "echo-" + id));
            boolean timesHop = r == 0;
            toReceivers.add(to);
            receiverProducers.add(producer);
            receivers.add(new Endpoint(new KafkaConsumer<>(KafkaClientSettings.consumer(config, "echo-" + id)), to,
                    poll, record -> atReceiver(record, producer, timesHop), "echo-" + id + "-" + name));
        }
        consumerA = new Endpoint(new KafkaConsumer<>(KafkaClientSettings.consumer(config, "echo-a")), toA, poll,
                this::atA, "echo-a-" + name);
        consumerA.start();
        receivers.forEach(Endpoint::start);
    }

    private static String receiverTopic(String name, int receiver) {
        return "raftbus-echo." + name + (receiver == 0 ? ".b" : ".b" + receiver);
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
            long stamp = System.nanoTime();
            current = stamp;
            ByteBuffer.wrap(value).putLong(stamp);
            for (TopicPartition to : toReceivers) {
                producerA.send(new ProducerRecord<>(to.topic(), 0, null, value.clone()));
            }
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

    private void atReceiver(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer,
                            boolean timesHop) {
        long now = System.nanoTime();
        if (timesHop) {
            hops.add(now - ByteBuffer.wrap(record.value()).getLong());
        }
        producer.send(new ProducerRecord<>(toA.topic(), 0, null, record.value()));
    }

    private void atA(ConsumerRecord<byte[], byte[]> record) {
        long stamp = ByteBuffer.wrap(record.value()).getLong();
        if (stamp != current) {
            return; // a later echo of a record already answered
        }
        current = 0;
        roundTrips.add(System.nanoTime() - stamp);
        echoed.incrementAndGet();
        LockSupport.unpark(waiter);
    }

    @Override
    public void close() {
        consumerA.close();
        receivers.forEach(Endpoint::close);
        producerA.close(Duration.ofSeconds(2));
        receiverProducers.forEach(p -> p.close(Duration.ofSeconds(2)));
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
