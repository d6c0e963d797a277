package io.raftbus.benchmarks.versus;

import io.raftbus.benchmarks.DiscardStateMachine;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.InputStream;

/** {@link DiscardStateMachine} that also takes snapshots: its state is empty, so each snapshot is zero bytes. */
final class SnapshottingDiscardStateMachine implements StateMachine {

    static final StateMachine INSTANCE = new SnapshottingDiscardStateMachine();

    private SnapshottingDiscardStateMachine() {
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return DiscardStateMachine.INSTANCE.apply(index, command);
    }

    @Override
    public byte[] query(byte[] query) {
        return DiscardStateMachine.INSTANCE.query(query);
    }

    @Override
    public StateSnapshot captureSnapshot() {
        return out -> { };
    }

    @Override
    public void restoreSnapshot(SnapshotInfo snapshot, InputStream in) {
        // nothing to restore: the state is empty
    }
}
