package io.raftbus.it.support;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Transport;

/**
 * Test decorator cutting a node off the network both ways on demand: while paused, outbound messages are not sent
 * and inbound ones are discarded (both counted), as in a network partition isolating this node.
 */
public final class PausableTransport implements Transport {

    private final Transport delegate;
    private volatile boolean paused;
    private final AtomicLong droppedOutbound = new AtomicLong();
    private final AtomicLong droppedInbound = new AtomicLong();

    public PausableTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /** The wrapped transport. */
    public Transport delegate() {
        return delegate;
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    public long droppedOutbound() {
        return droppedOutbound.get();
    }

    public long droppedInbound() {
        return droppedInbound.get();
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        delegate.start(localNodeId, message -> {
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
            delegate.send(message);
        }
    }

    @Override
    public long maxMessageBytes() {
        return delegate.maxMessageBytes();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
