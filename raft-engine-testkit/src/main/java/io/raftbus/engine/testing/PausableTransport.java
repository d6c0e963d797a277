package io.raftbus.engine.testing;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Transport} decorator that cuts a node off the network on demand, for tests and demos of partitions:
 * while paused it drops every message the node sends and every message delivered to it (both counted), as a
 * network partition isolating the node would. Thread-safe.
 */
public final class PausableTransport extends ForwardingTransport {

    private final AtomicLong droppedOutbound = new AtomicLong();
    private final AtomicLong droppedInbound = new AtomicLong();
    private volatile boolean paused;

    /** Wraps {@code delegate}, not paused. */
    public PausableTransport(Transport delegate) {
        this(delegate, false);
    }

    /**
     * Wraps {@code delegate}.
     *
     * @param paused whether to start paused (a node restarted while partitioned stays partitioned)
     */
    public PausableTransport(Transport delegate, boolean paused) {
        super(delegate);
        this.paused = paused;
    }

    /** The wrapped transport. */
    @Override
    public Transport delegate() {
        return super.delegate();
    }

    /** Starts dropping everything in both directions. */
    public void pause() {
        paused = true;
    }

    /** Stops dropping. */
    public void resume() {
        paused = false;
    }

    /** Whether messages are being dropped. */
    public boolean isPaused() {
        return paused;
    }

    /** Messages the node sent while paused. */
    public long droppedOutbound() {
        return droppedOutbound.get();
    }

    /** Messages delivered to the node while paused. */
    public long droppedInbound() {
        return droppedInbound.get();
    }

    /** Messages dropped in both directions while paused. */
    public long droppedWhilePaused() {
        return droppedOutbound.get() + droppedInbound.get();
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        super.start(localNodeId, message -> {
            if (paused) {
                droppedInbound.incrementAndGet();
            } else {
                inbound.accept(message);
            }
        });
    }

    @Override
    public void send(RaftMessage message) {
        if (paused) {
            droppedOutbound.incrementAndGet();
        } else {
            super.send(message);
        }
    }

    // maxMessageBytes, membershipChanged (even while paused: the configuration is the node's, not the network's)
    // and close are forwarded by ForwardingTransport.
}
