package io.raftbus.engine;

import io.raftbus.engine.core.MembershipChange;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.SnapshotInfo;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** What a {@link RaftNode}'s event loop consumes from its queue. */
sealed interface NodeEvent {

    /** A message handed over by the transport. */
    record Inbound(RaftMessage message) implements NodeEvent {
    }

    /**
     * A {@link RaftNode#submit(byte[])} (or, if {@code read}, a {@link RaftNode#read(byte[])} with its query) waiting
     * to be proposed to the core. It is also the caller's future ({@link #future()} is itself): one object per
     * proposal on the way to the event loop, not an event and a future.
     */
    final class Submit extends BlockedCallerFuture implements NodeEvent {

        private final long proposalId;
        private final byte[] command;
        private final boolean read;

        /** @param countOutcome as for {@link OutcomeCountingFuture} */
        Submit(long proposalId, byte[] command, boolean read, Consumer<Throwable> countOutcome) {
            super(countOutcome);
            this.proposalId = proposalId;
            this.command = command;
            this.read = read;
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
            return read;
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
