package io.raftbus.engine.core;

import io.raftbus.engine.message.RaftMessage;

import java.util.ArrayList;
import java.util.List;

/** The messages this node has sent since the last {@link RaftCore#ready()}, in order; never one to itself. */
final class Outbox {

    private final String nodeId;
    private final List<RaftMessage> messages = new ArrayList<>();

    Outbox(String nodeId) {
        this.nodeId = nodeId;
    }

    /** Queues {@code m} for sending. */
    void send(RaftMessage m) {
        if (m.to().equals(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " tried to send a message to itself: " + m);
        }
        messages.add(m);
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
