package io.raftbus.engine;

import io.raftbus.engine.core.MembershipChange;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.SnapshotInfo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What a {@link RaftNode}'s event loop consumes from its queue. */
sealed interface NodeEvent {

    /** A message handed over by the transport; its own place in the {@link EventQueue} (never withdrawn). */
    final class Inbound extends ChainedEvent implements NodeEvent {

        private final RaftMessage message;

        Inbound(RaftMessage message) {
            this.message = message;
        }

        RaftMessage message() {
            return message;
        }

        @Override
        public NodeEvent event() {
            return this;
        }

        /** Always taken: nobody withdraws a message, so the loop needs no atomic step for it. */
        @Override
        public boolean claim() {
            return true;
        }
    }

    /**
     * A {@link RaftNode#submit(byte[])} (or, if {@code read}, a {@link RaftNode#read(byte[])} with its query) waiting
     * to be proposed to the core. It is also the caller's future ({@link #future()} is itself): one object per
     * proposal on the way to the event loop, not an event and a future. It is also its own place in the
     * {@link EventQueue} (the link to the next place, and whether the loop took it or its caller withdrew it), so
     * queuing it allocates nothing.
     */
    final class Submit extends BlockedCallerFuture implements NodeEvent, EventLink {

        private static final VarHandle NEXT;
        private static final VarHandle STATE;
        /** In {@link #state} beside the place's state, rather than a field of its own: a smaller object. */
        private static final int READ = 1 << 4;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                NEXT = lookup.findVarHandle(Submit.class, "next", EventLink.class);
                STATE = lookup.findVarHandle(Submit.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long proposalId;
        private final byte[] command;
        @SuppressWarnings("unused") // through NEXT
        private volatile EventLink next;
        /** {@link EventLink#QUEUED} until claimed or withdrawn, with {@link #READ} for a read. */
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        /** @param countOutcome as for {@link OutcomeCountingFuture} */
        Submit(long proposalId, byte[] command, boolean read, Consumer<Throwable> countOutcome) {
            super(countOutcome);
            this.proposalId = proposalId;
            this.command = command;
            STATE.set(this, read ? READ : 0); // published by the queue with the rest of the submit
        }

        long proposalId() {
            return proposalId;
        }

        byte[] command() {
            return command;
        }

        /** The caller's future: this object. */
        CompletableFuture<byte[]> future() {
            return this;
        }

        boolean read() {
            return ((int) STATE.get(this) & READ) != 0; // never changes
        }

        @Override
        public EventLink next() {
            return (EventLink) NEXT.getVolatile(this);
        }

        @Override
        public void linkNext(EventLink link) {
            NEXT.setVolatile(this, link);
        }

        @Override
        public void unlinkNext() {
            NEXT.set(this, null);
        }

        @Override
        public NodeEvent event() {
            return this;
        }

        @Override
        public boolean claim() {
            return moveFromQueued(EventLink.TAKEN);
        }

        @Override
        public boolean withdraw() {
            return moveFromQueued(EventLink.WITHDRAWN);
        }

        private boolean moveFromQueued(int to) {
            int kind = (int) STATE.get(this) & READ;
            return STATE.compareAndSet(this, kind | EventLink.QUEUED, kind | to);
        }
    }

    /**
     * A {@link RaftNode#transferLeadership(String)} (target null: the core picks). {@code completeOnLoop}: complete
     * {@code result} on the loop thread itself (for the node's own close(), which waits on it and attaches no
     * callbacks) instead of on the callback thread.
     */
    record Transfer(String target, CompletableFuture<String> result, boolean completeOnLoop) implements NodeEvent {
    }

    /**
     * The snapshot thread's outcome for the snapshot asked at {@code index}: {@code taken} is durable in the store, or
     * (taken null) it failed because of {@code failure}.
     */
    record SnapshotDone(long index, SnapshotInfo taken, String failure) implements NodeEvent {
    }

    /** A {@link RaftNode#takeSnapshot()}, completed once a snapshot at or past the applied index is durable. */
    record TakeSnapshot(CompletableFuture<SnapshotInfo> result) implements NodeEvent {
    }

    /** A membership change ({@link RaftNode#addLearner} and the like) waiting to be proposed to the core. */
    record ChangeMembership(long proposalId, MembershipChange change, CompletableFuture<byte[]> future)
            implements NodeEvent {
    }

    /** Asks the loop to stop. */
    record Close() implements NodeEvent {
        static final Close INSTANCE = new Close();
    }
}
