package io.raftbus.engine.spi;

import io.raftbus.engine.message.RaftMessage;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Transport} that forwards every call to another one, through {@link #delegate()}, default methods
 * ({@link #maxMessageBytes()}, {@link #membershipChanged}) included. Extend it to observe, time, hold or drop some
 * messages (fault injection in tests, benchmark probes) and override only those calls; an override that still wants
 * the call to go through calls {@code super}.
 */
public abstract class ForwardingTransport implements Transport {

    private final Transport delegate;

    protected ForwardingTransport(Transport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The transport every call is forwarded to; asked once per call, so an override can redirect calls. */
    protected Transport delegate() {
        return delegate;
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        delegate().start(localNodeId, inbound);
    }

    @Override
    public void send(RaftMessage message) {
        delegate().send(message);
    }

    @Override
    public long maxMessageBytes() {
        return delegate().maxMessageBytes();
    }

    @Override
    public void membershipChanged(Membership membership) {
        delegate().membershipChanged(membership);
    }

    @Override
    public void close() {
        delegate().close();
    }
}
