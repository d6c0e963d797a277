/** Snapshot stores for production: {@link io.raftbus.engine.snapshot.FileSnapshotStore}, one file per snapshot. */
package io.raftbus.engine.snapshot;
