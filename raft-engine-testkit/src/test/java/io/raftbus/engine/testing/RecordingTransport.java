package io.raftbus.engine.testing;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A transport that goes nowhere, for testing transport wrappers: it records what it is sent and told, keeps the
 * inbound handler it was started with so a test can deliver messages, and reports a distinctive
 * {@link #MAX_MESSAGE_BYTES}. Single-threaded.
 */
public final class RecordingTransport implements Transport {

    /** What {@link #maxMessageBytes()} returns: not the default, so forwarding it shows. */
    public static final long MAX_MESSAGE_BYTES = 1234;

    public final List<RaftMessage> sent = new ArrayList<>();
    public final List<Membership> told = new ArrayList<>();
    public String startedAs;
    public Consumer<RaftMessage> inbound;
    public boolean closed;

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        this.startedAs = localNodeId;
        this.inbound = inbound;
    }

    @Override
    public void send(RaftMessage message) {
        sent.add(message);
    }

    @Override
    public long maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    public void membershipChanged(Membership membership) {
        told.add(membership);
    }

    @Override
    public void close() {
        closed = true;
    }
}
