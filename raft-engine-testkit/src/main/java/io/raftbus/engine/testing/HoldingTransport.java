package io.raftbus.engine.testing;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link Transport} decorator that holds back chosen messages until the test lets them go, for tests that need a
 * message to arrive at a particular moment (an acknowledgement after the follower applied, an answer while the leader
 * is stalled): while holding, the messages a predicate picks, those the node sends ({@link #holdOutbound}) or those
 * delivered to it ({@link #holdInbound}), are kept instead of passed on; {@link #release} stops holding and passes the
 * kept ones on, each direction in the order it was kept. Everything else passes straight through. A message that
 * arrives while {@link #release} passes the kept ones on may overtake them, as a network may reorder messages.
 * Thread-safe.
 */
public final class HoldingTransport extends ForwardingTransport {

    private static final Predicate<RaftMessage> NONE = message -> false;

    private final List<RaftMessage> heldOutbound = new ArrayList<>();
    private final List<RaftMessage> heldInbound = new ArrayList<>();
    private Predicate<? super RaftMessage> holdOutbound = NONE;
    private Predicate<? super RaftMessage> holdInbound = NONE;
    private volatile Consumer<RaftMessage> inbound;

    /** Wraps {@code delegate}, holding nothing. */
    public HoldingTransport(Transport delegate) {
        super(delegate);
    }

    /** From now on until {@link #release}, keeps the messages the node sends that {@code which} picks. */
    public synchronized void holdOutbound(Predicate<? super RaftMessage> which) {
        holdOutbound = which;
    }

    /** From now on until {@link #release}, keeps the messages delivered to the node that {@code which} picks. */
    public synchronized void holdInbound(Predicate<? super RaftMessage> which) {
        holdInbound = which;
    }

    /**
     * Stops holding in both directions, then sends the kept outbound messages and delivers the kept inbound ones to
     * the node, each in the order kept.
     */
    public void release() {
        List<RaftMessage> toSend;
        List<RaftMessage> toDeliver;
        synchronized (this) {
            holdOutbound = NONE;
            holdInbound = NONE;
            toSend = new ArrayList<>(heldOutbound);
            toDeliver = new ArrayList<>(heldInbound);
            heldOutbound.clear();
            heldInbound.clear();
        }
        toSend.forEach(super::send);
        if (!toDeliver.isEmpty()) { // held inbound messages imply start() ran, so inbound is set
            toDeliver.forEach(inbound);
        }
    }

    /** How many messages are kept now, in both directions. */
    public synchronized int heldCount() {
        return heldOutbound.size() + heldInbound.size();
    }

    @Override
    public void start(String localNodeId, Consumer<RaftMessage> handler) {
        inbound = handler;
        super.start(localNodeId, message -> {
            synchronized (this) {
                if (holdInbound.test(message)) {
                    heldInbound.add(message);
                    return;
                }
            }
            handler.accept(message);
        });
    }

    @Override
    public void send(RaftMessage message) {
        synchronized (this) {
            if (holdOutbound.test(message)) {
                heldOutbound.add(message);
                return;
            }
        }
        super.send(message);
    }
}
