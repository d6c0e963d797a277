package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;

import java.util.Optional;

/**
 * At start, before the core is built: makes the log agree with the snapshot store after a crash at any point. A
 * snapshot is made durable in the store before the log is compacted or reset to it, so the store's latest snapshot
 * is never behind the log's compacted prefix; a crash between the two leaves a snapshot the log does not know yet,
 * installed here. A log compacted past every snapshot in the store means they do not belong together.
 */
public final class SnapshotRecovery {

    private SnapshotRecovery() {
    }

    /**
     * Reconciles {@code log} with {@code store}'s latest snapshot, and returns that snapshot (the state machine is
     * restored from it unless it has applied as far already).
     *
     * @throws IllegalStateException the log is compacted past the store's latest snapshot
     */
    public static Optional<SnapshotInfo> reconcile(String nodeId, LogAPI log, SnapshotStore store) {
        Optional<SnapshotInfo> latest = store.latest();
        long compactedThrough = log.snapshotMeta().index();
        long snapshotIndex = latest.map(SnapshotInfo::index).orElse(0L);
        if (compactedThrough > snapshotIndex) {
            throw new IllegalStateException("node " + nodeId + ": the log is compacted through index "
                    + compactedThrough + " but the snapshot store's latest snapshot is "
                    + (latest.isPresent() ? "at index " + snapshotIndex : "missing") + "; the entries in between"
                    + " are lost: the snapshot store does not belong to this log");
        }
        if (latest.isPresent() && snapshotIndex > compactedThrough
                && !(snapshotIndex <= log.lastIndex() && log.termAt(snapshotIndex) == latest.get().term())) {
            // a snapshot received from the leader, stored, but the log was not reset to it before the crash
            log.installSnapshot(latest.get().meta());
        }
        return latest;
    }
}
