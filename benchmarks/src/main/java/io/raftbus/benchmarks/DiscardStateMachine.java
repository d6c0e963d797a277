package io.raftbus.benchmarks;

import io.raftbus.engine.spi.StateMachine;

/** The benchmarks' state machine: applies nothing and answers every command and query with an empty result. */
public final class DiscardStateMachine implements StateMachine {

    /** The one instance: it holds no state. */
    public static final StateMachine INSTANCE = new DiscardStateMachine();

    private static final byte[] EMPTY = new byte[0];

    private DiscardStateMachine() {
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return EMPTY;
    }

    @Override
    public byte[] query(byte[] query) {
        return EMPTY;
    }
}
