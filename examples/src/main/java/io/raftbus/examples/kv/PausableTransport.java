package io.raftbus.examples.kv;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Transport;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Transport} decorator that can cut a node off: while paused it drops every message the node sends and
 * every message delivered to it, as a network partition would. Used by the demo's {@code partition}/{@code heal}.
 */
public final class PausableTransport implements Transport {

    private final Transport delegate;
    private volatile boolean paused;
    private final AtomicLong droppedWhilePaused = new AtomicLong();

    /**
     * @param delegate the real transport
     * @param paused whether to start paused (a node restarted while partitioned stays partitioned)
     */
    public PausableTransport(Transport delegate, boolean paused) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.paused = paused;
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        delegate.start(localNodeId, message -> {
            if (paused) {
                droppedWhilePaused.incrementAndGet();
            } else {
                inbound.accept(message);
            }
        });
    }

    @Override
    public void send(RaftMessage message) {
        if (paused) {
            droppedWhilePaused.incrementAndGet();
        } else {
            delegate.send(message);
        }
    }

    @Override
    public long maxMessageBytes() {
        return delegate.maxMessageBytes();
    }

    /** Drops all traffic from now on, both ways. */
    public void pause() {
        paused = true;
    }

    /** Delivers traffic again. */
    public void resume() {
        paused = false;
    }

    /** Whether traffic is being dropped. */
    public boolean isPaused() {
        return paused;
    }

    /** How many messages (in and out) were dropped while paused. */
    public long droppedWhilePaused() {
        return droppedWhilePaused.get();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
