package io.raftbus.benchmarks.stability;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * A {@link Transport} decorator that times AppendEntries requests (heartbeats included) through the wrapped transport:
 * their one-way latency, send to receive (all nodes run in one JVM, so sender and receiver share
 * {@link System#nanoTime()}; a send is matched to a receive by sender, receiver, term, indexes and round, first in
 * first out), and at the receiver the gap since the previous AppendEntries from the same leader in the same term
 * (what a follower's election timer sees while it has a leader).
 */
final class TimingTransport extends ForwardingTransport {

    /** Send times of AppendEntries not yet received, by {@link #key}; shared by every node of the cluster. */
    private final Map<String, Deque<Long>> inFlight;
    private final Samples oneWayMillis;
    private final Samples heartbeatGapMillis;
    private final Map<String, Long> lastAppendReceivedNanos = new ConcurrentHashMap<>();

    TimingTransport(Transport delegate, Map<String, Deque<Long>> inFlight, Samples oneWayMillis,
                    Samples heartbeatGapMillis) {
        super(delegate);
        this.inFlight = inFlight;
        this.oneWayMillis = oneWayMillis;
        this.heartbeatGapMillis = heartbeatGapMillis;
    }

    /** A fresh map for {@link #TimingTransport}'s shared in-flight send times. */
    static Map<String, Deque<Long>> newInFlightMap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        super.start(localNodeId, message -> {
            if (message instanceof AppendEntriesRequest append) {
                received(append);
            }
            inbound.accept(message);
        });
    }

    private void received(AppendEntriesRequest append) {
        long now = System.nanoTime();
        Deque<Long> sends = inFlight.get(key(append));
        Long sentAt = sends == null ? null : sends.pollFirst();
        if (sentAt != null) {
            oneWayMillis.add((now - sentAt) / 1e6);
        }
        Long previous = lastAppendReceivedNanos.put(append.from() + '/' + append.term(), now);
        if (previous != null) {
            heartbeatGapMillis.add((now - previous) / 1e6);
        }
    }

    @Override
    public void send(RaftMessage message) {
        if (message instanceof AppendEntriesRequest append) {
            inFlight.computeIfAbsent(key(append), k -> new ConcurrentLinkedDeque<>()).addLast(System.nanoTime());
        }
        super.send(message);
    }

    private static String key(AppendEntriesRequest a) {
        return a.from() + '>' + a.to() + '/' + a.term() + '/' + a.prevLogIndex() + '/' + a.entries().size() + '/'
                + a.leaderCommit() + '/' + a.readSeq();
    }
}
