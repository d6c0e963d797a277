package io.raftbus.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A place in {@link EventQueue}'s chain, with the link and the queued/taken/withdrawn state of {@link EventLink}:
 * extended by {@link NodeEvent.Inbound} (its own place), or made to carry any other event ({@link #carrying}).
 */
class ChainedEvent implements EventLink {

    private static final VarHandle NEXT;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(ChainedEvent.class, "next", EventLink.class);
            STATE = lookup.findVarHandle(ChainedEvent.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NodeEvent carried;
    @SuppressWarnings("unused") // through NEXT
    private volatile EventLink next;
    @SuppressWarnings("unused") // through STATE
    private volatile int state; // EventLink.QUEUED (0) until claimed or withdrawn

    /** A place for {@code event} (null: the chain's first place, which never carries one). */
    static ChainedEvent carrying(NodeEvent event) {
        return new ChainedEvent(event);
    }

    private ChainedEvent(NodeEvent carried) {
        this.carried = carried;
    }

    /** For a subclass that is its own event. */
    ChainedEvent() {
        this.carried = null;
    }

    @Override
    public final EventLink next() {
        return (EventLink) NEXT.getVolatile(this);
    }

    @Override
    public final void linkNext(EventLink link) {
        NEXT.setVolatile(this, link);
    }

    @Override
    public final void unlinkNext() {
        NEXT.set(this, null);
    }

    @Override
    public NodeEvent event() {
        return carried;
    }

    @Override
    public boolean claim() {
        return STATE.compareAndSet(this, EventLink.QUEUED, EventLink.TAKEN);
    }

    @Override
    public final boolean withdraw() {
        return STATE.compareAndSet(this, EventLink.QUEUED, EventLink.WITHDRAWN);
    }
}
