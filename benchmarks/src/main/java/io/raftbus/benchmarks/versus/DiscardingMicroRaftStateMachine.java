package io.raftbus.benchmarks.versus;

import io.microraft.statemachine.StateMachine;

import java.util.List;
import java.util.function.Consumer;

/**
 * A MicroRaft state machine that does nothing: every operation (command or query) answers null, a snapshot has no
 * chunks. A new leader appends a marker operation, as raftbus appends a no-op entry on election. With
 * {@link HopStamps}, the leader's stamps its applying a command.
 */
final class DiscardingMicroRaftStateMachine implements StateMachine {

    private final String nodeId;
    private final HopStamps stamps;

    DiscardingMicroRaftStateMachine() {
        this(null, null);
    }

    /** @param stamps null: none */
    DiscardingMicroRaftStateMachine(String nodeId, HopStamps stamps) {
        this.nodeId = nodeId;
        this.stamps = stamps;
    }

    /** The entry a new leader appends to commit its term. */
    private static final Object NEW_TERM = new Object();

    @Override
    public Object runOperation(long commitIndex, Object operation) {
        if (stamps != null && operation != NEW_TERM && stamps.isLeader(nodeId)) {
            stamps.reached(HopStamps.Stage.LEADER_APPLIED);
        }
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
