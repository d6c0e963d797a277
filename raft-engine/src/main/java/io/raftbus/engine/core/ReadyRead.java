package io.raftbus.engine.core;

/**
 * A linearizable read this leader has confirmed (ReadIndex, thesis §6.4): the runtime runs {@code query} against its
 * state machine, which has applied at least {@code readIndex} once the entries handed out with it are applied, and
 * gives the result to {@code waiter} (a local read, or a member's or client's CommandRequest).
 */
public record ReadyRead(Waiter waiter, long readIndex, byte[] query) {
}
