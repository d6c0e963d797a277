package io.raftbus.benchmarks.versus;

import io.microraft.statemachine.StateMachine;

import java.util.List;
import java.util.function.Consumer;

/**
 * A MicroRaft state machine that does nothing: every operation (command or query) answers null, a snapshot has no
 * chunks. A new leader appends a marker operation, as raftbus appends a no-op entry on election.
 */
final class DiscardingMicroRaftStateMachine implements StateMachine {

    /** The entry a new leader appends to commit its term. */
    private static final Object NEW_TERM = new Object();

    @Override
    public Object runOperation(long commitIndex, Object operation) {
        return null;
    }

    @Override
    public void takeSnapshot(long commitIndex, Consumer<Object> snapshotChunkConsumer) {
    }

    @Override
    public void installSnapshot(long commitIndex, List<Object> snapshotChunks) {
    }

    @Override
    public Object getNewTermOperation() {
        return NEW_TERM;
    }
}
