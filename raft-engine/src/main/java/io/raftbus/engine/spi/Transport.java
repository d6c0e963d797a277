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

    /** Stops delivery and releases resources. */
    @Override
    void close();
}
