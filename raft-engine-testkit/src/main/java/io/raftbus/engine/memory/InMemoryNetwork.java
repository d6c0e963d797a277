package io.raftbus.engine.memory;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-process network for tests: each node (or client) gets a {@link Transport} from {@link #transport(String)},
 * and a sent message is handed directly, on the sender's thread, to the receiver's inbound handler. Messages are
 * immutable records and are passed by reference. Faults: {@link #isolate(String)} cuts a node off in both directions,
 * {@link #dropLink(String, String)} cuts one direction of one link. Messages to an unknown, not yet started or closed
 * endpoint are dropped. Every drop is counted ({@link #droppedCount()}). Thread-safe.
 */
public final class InMemoryNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryNetwork.class);

    private final Map<String, Consumer<RaftMessage>> endpoints = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final Set<Link> droppedLinks = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();

    /** A transport for {@code nodeId}; it delivers once started and stops delivering once closed. */
    public Transport transport(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return new Endpoint(nodeId);
    }

    /** Drops every message to and from {@code nodeId} until {@link #heal(String)}. */
    public void isolate(String nodeId) {
        isolated.add(Objects.requireNonNull(nodeId, "nodeId"));
    }

    /** Ends {@link #isolate(String)} of {@code nodeId}, and restores every dropped link to or from it. */
    public void heal(String nodeId) {
        isolated.remove(nodeId);
        droppedLinks.removeIf(link -> link.from.equals(nodeId) || link.to.equals(nodeId));
    }

    /** Ends every isolation and restores every link. */
    public void healAll() {
        isolated.clear();
        droppedLinks.clear();
    }

    /** Drops messages sent by {@code from} to {@code to} (one direction only) until restored or healed. */
    public void dropLink(String from, String to) {
        droppedLinks.add(new Link(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to")));
    }

    /** Restores the link from {@code from} to {@code to}. */
    public void restoreLink(String from, String to) {
        droppedLinks.remove(new Link(from, to));
    }

    /** How many messages were dropped so far. */
    public long droppedCount() {
        return dropped.get();
    }

    private void deliver(String sender, RaftMessage message) {
        String to = message.to();
        if (cutOff(sender, to)) {
            dropped.incrementAndGet();
            return;
        }
        Consumer<RaftMessage> receiver = to == null ? null : endpoints.get(to);
        if (receiver == null) {
            dropped.incrementAndGet();
            return;
        }
        try {
            receiver.accept(message);
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
            LOG.warn("inbound handler of {} threw on {}; message dropped", to, message.getClass().getSimpleName(), e);
        }
    }

    /** Whether a fault drops messages from {@code sender} to {@code to}; with no fault set, no lookup (nor object). */
    private boolean cutOff(String sender, String to) {
        return !isolated.isEmpty() && (isolated.contains(sender) || isolated.contains(to))
                || !droppedLinks.isEmpty() && droppedLinks.contains(new Link(sender, to));
    }

    private record Link(String from, String to) {
    }

    /** One node's (or client's) attachment to the network. */
    private final class Endpoint implements Transport {
        private final String nodeId;
        private volatile Consumer<RaftMessage> inbound;
        private volatile boolean closed;

        Endpoint(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void start(String localNodeId, Consumer<RaftMessage> handler) {
            if (!nodeId.equals(localNodeId)) {
                throw new IllegalArgumentException("this transport was made for " + nodeId + ", not " + localNodeId);
            }
            Objects.requireNonNull(handler, "inbound");
            if (closed) {
                throw new IllegalStateException("transport of " + nodeId + " is closed");
            }
            if (endpoints.putIfAbsent(nodeId, handler) != null) {
                throw new IllegalStateException(nodeId + " is already attached to this network");
            }
            inbound = handler;
        }

        @Override
        public void send(RaftMessage message) {
            if (closed || message == null) {
                dropped.incrementAndGet();
                return;
            }
            deliver(nodeId, message);
        }

        @Override
        public void close() {
            closed = true;
            Consumer<RaftMessage> handler = inbound;
            if (handler != null) {
                endpoints.remove(nodeId, handler);
            }
        }

        @Override
        public String toString() {
            return "InMemoryNetwork.Transport[" + nodeId + "]";
        }
    }
}
