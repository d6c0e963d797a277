package io.raftbus.benchmarks.versus;

import io.raftbus.engine.spi.StateMachine;

/** A raftbus state machine that stamps {@link HopStamps} when the leader applies a command; otherwise its delegate. */
final class StampedStateMachine implements StateMachine {

    private final String nodeId;
    private final StateMachine delegate;
    private final HopStamps stamps;

    StampedStateMachine(String nodeId, StateMachine delegate, HopStamps stamps) {
        this.nodeId = nodeId;
        this.delegate = delegate;
        this.stamps = stamps;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        if (stamps.isLeader(nodeId)) {
            stamps.reached(HopStamps.Stage.LEADER_APPLIED);
        }
        return delegate.apply(index, command);
    }

    @Override
    public byte[] query(byte[] query) {
        return delegate.query(query);
    }
}
