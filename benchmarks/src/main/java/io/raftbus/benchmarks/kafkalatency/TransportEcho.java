package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.kafka.KafkaTransportConfig;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The round trip of {@link BrokerEcho} through two {@link KafkaTransport}s instead of bare Kafka clients, no engine:
 * transport A sends an AppendEntries with one 100-byte entry to B; B's inbound handler (on B's consumer thread)
 * at once sends the acknowledgement back; A's inbound handler takes it. One message at a time; the hop (A's send to
 * B's handler) and the round trip are timed on this JVM's {@link System#nanoTime()}. Against the bare clients' round
 * trip in the same run, this is what the transport itself adds: its outbound lane's thread hand-off, encoding,
 * decoding and filtering.
 */
final class TransportEcho implements AutoCloseable {

    private static final String CLUSTER_PREFIX = "latx-";
    private final String clusterId;
    private final KafkaTransport a;
    private final KafkaTransport b;
    private final AtomicLong acknowledged = new AtomicLong();
    private volatile long sentAt;
    private volatile Thread waiter;
    private volatile Nanos hops = new Nanos();
    private volatile Nanos roundTrips = new Nanos();

    /** Starts transports {@code a} and {@code b} of cluster {@code latx-<name>} built by {@code config}. */
    TransportEcho(KafkaTransportConfig.Builder config, String name) {
        clusterId = CLUSTER_PREFIX + name;
        KafkaTransportConfig built = config.clusterId(clusterId).members(Set.of("a", "b")).build();
        a = new KafkaTransport(built);
        b = new KafkaTransport(built);
        a.start("a", this::atA);
        b.start("b", this::atB);
    }

    /** One message at a time for {@code seconds}; returns {hop, round trip}. */
    Nanos[] run(double seconds) throws TimeoutException {
        Nanos hop = new Nanos();
        Nanos roundTrip = new Nanos();
        hops = hop;
        roundTrips = roundTrip;
        waiter = Thread.currentThread();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long index = 0;
        while (System.nanoTime() < end) {
            long before = acknowledged.get();
            index++;
            AppendEntriesRequest append = new AppendEntriesRequest(clusterId, "a", "b", 1, index - 1, 1,
                    List.of(new LogEntry(index, 1, EntryType.COMMAND, new byte[100])), index - 1, 0);
            sentAt = System.nanoTime();
            a.send(append);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (acknowledged.get() == before) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("no acknowledgement within 10 s; drops a " + a.dropCounts() + " b "
                            + b.dropCounts());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        return new Nanos[] {hop, roundTrip};
    }

    private void atB(RaftMessage message) {
        if (message instanceof AppendEntriesRequest append) {
            hops.add(System.nanoTime() - sentAt);
            long match = append.prevLogIndex() + append.entries().size();
            b.send(new AppendEntriesResponse(clusterId, "b", "a", append.term(), true, match, 0, 0, 0, match,
                    append.readSeq()));
        }
    }

    private void atA(RaftMessage message) {
        if (message instanceof AppendEntriesResponse) {
            roundTrips.add(System.nanoTime() - sentAt);
            acknowledged.incrementAndGet();
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
