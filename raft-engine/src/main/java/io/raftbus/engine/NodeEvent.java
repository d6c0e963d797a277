package io.raftbus.engine;

import io.raftbus.engine.message.RaftMessage;

import java.util.concurrent.CompletableFuture;

/** What a {@link RaftNode}'s event loop consumes from its queue. */
sealed interface NodeEvent {

    /** A message handed over by the transport. */
    record Inbound(RaftMessage message) implements NodeEvent {
    }

    /** A {@link RaftNode#submit(byte[])} waiting to be proposed to the core. */
    record Submit(long proposalId, byte[] command, CompletableFuture<byte[]> future) implements NodeEvent {
    }

    /** Asks the loop to stop. */
    record Close() implements NodeEvent {
        static final Close INSTANCE = new Close();
    }
}
