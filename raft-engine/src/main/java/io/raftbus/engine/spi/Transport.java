package io.raftbus.engine.spi;

import io.raftbus.engine.message.RaftMessage;

import java.util.function.Consumer;

/**
 * Carries one-way Raft messages between nodes. Delivery may lose, duplicate, delay or reorder messages; Raft copes.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts delivery: from now on every message addressed to {@code localNodeId} is handed to {@code inbound}
     * (from any thread; the node hands it to its event loop).
     */
    void start(String localNodeId, Consumer<RaftMessage> inbound);

    /**
     * Sends a message to {@code message.to()}. Never blocks and never throws: a message that cannot be sent is
     * dropped (and counted by the implementation).
     */
    void send(RaftMessage message);

    /**
     * The largest encoded message this transport carries, in bytes; the engine bounds AppendEntries batches by it.
     * {@link Long#MAX_VALUE} when unbounded.
     */
    default long maxMessageBytes() {
        return Long.MAX_VALUE;
    }

    /**
     * The configuration in force on this node: at its first step the one it starts with (from its log, after a
     * restart), then each time it changes (a CONFIG entry was appended or truncated, or a snapshot installed):
     * {@code membership} lists every voter and learner now. Called on the node's event loop before any
     * message of that step is sent, so a transport that needs per-member resources (an inbox to create) can make them
     * before a new member is sent anything; keep it short, it delays the loop. Members no longer listed may still be
     * sent a few messages while their removal commits. The default does nothing.
     */
    default void membershipChanged(Membership membership) {
    }

    /** Stops delivery and releases resources. */
    @Override
    void close();
}
