package io.raftbus.engine.core;

/** The leader's answer to a read this node forwarded: the query's result, computed at {@code readIndex}. */
public record ReadAnswer(long proposalId, long readIndex, byte[] result) {
}
