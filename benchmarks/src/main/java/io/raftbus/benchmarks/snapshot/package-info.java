/**
 * Internal: the snapshot benchmarks ({@link io.raftbus.benchmarks.snapshot.SnapshotBenchmark}, see
 * docs/PERFORMANCE.md "Snapshots"). Not an API.
 */
package io.raftbus.benchmarks.snapshot;
