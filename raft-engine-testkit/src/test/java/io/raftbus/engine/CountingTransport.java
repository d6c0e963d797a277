package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.spi.Transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Forwards to a transport and counts the messages sent through it; notes hand-overs and whether it was closed. */
final class CountingTransport implements Transport {

    private final Transport delegate;
    private final AtomicLong sends = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean sentTimeoutNow = new AtomicBoolean();

    CountingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    long sends() {
        return sends.get();
    }

    /** Whether a TimeoutNow (a leadership hand-over) went out through this transport. */
    boolean sentTimeoutNow() {
        return sentTimeoutNow.get();
    }

    boolean closed() {
        return closed.get();
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        delegate.start(localNodeId, inbound);
    }

    @Override
    public void send(RaftMessage message) {
        sends.incrementAndGet();
        if (message instanceof TimeoutNow) {
            sentTimeoutNow.set(true);
        }
        delegate.send(message);
    }

    @Override
    public long maxMessageBytes() {
        return delegate.maxMessageBytes();
    }

    @Override
    public void close() {
        closed.set(true);
        delegate.close();
    }
}
