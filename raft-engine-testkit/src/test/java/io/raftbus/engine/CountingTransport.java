package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Forwards to a transport and counts the messages sent through it; notes hand-overs and whether it was closed. */
final class CountingTransport extends ForwardingTransport {

    private final AtomicLong sends = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean sentTimeoutNow = new AtomicBoolean();

    CountingTransport(Transport delegate) {
        super(delegate);
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
    public void send(RaftMessage message) {
        sends.incrementAndGet();
        if (message instanceof TimeoutNow) {
            sentTimeoutNow.set(true);
        }
        super.send(message);
    }

    @Override
    public void close() {
        closed.set(true);
        super.close();
    }
}
