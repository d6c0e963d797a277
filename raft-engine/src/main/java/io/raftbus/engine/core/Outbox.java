package io.raftbus.engine.core;

import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The messages this node has sent since the last {@link RaftCore#ready()}, in order; never one to itself. With a
 * sink set (see {@link RaftCore#earlySendSink}), a leader may hand them to the runtime at once, before its
 * {@code ready()}: {@link #sendNow()}.
 */
final class Outbox {

    private final String nodeId;
    private final List<RaftMessage> messages = new ArrayList<>();
    /** Where {@link #sendNow()} hands the messages; null: every message waits for {@code ready()}. */
    private Consumer<RaftMessage> sink;

    Outbox(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Sets where {@link #sendNow()} hands the messages (null: nowhere, every message waits for the Ready). */
    void sink(Consumer<RaftMessage> sink) {
        this.sink = sink;
    }

    /** Whether {@link #sendNow()} can send before the next {@code ready()}. */
    boolean canSendNow() {
        return sink != null;
    }

    /** Queues {@code m} for sending. */
    void send(RaftMessage m) {
        if (m.to().equals(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " tried to send a message to itself: " + m);
        }
        messages.add(m);
    }

    /**
     * Hands every message queued so far to the sink, in order, and empties the outbox (the next {@code ready()}
     * carries only what is queued after). The caller checked {@link #canSendNow()}.
     */
    void sendNow() {
        try {
            for (int i = 0; i < messages.size(); i++) {
                sink.accept(messages.get(i));
            }
        } finally {
            messages.clear();
        }
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** The messages queued so far, in order; the outbox starts empty again. */
    List<RaftMessage> drain() {
        List<RaftMessage> out = List.copyOf(messages); // the copy a Ready keeps anyway; the list is reused
        messages.clear();
        return out;
    }
}
