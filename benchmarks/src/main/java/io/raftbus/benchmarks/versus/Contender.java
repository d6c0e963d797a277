package io.raftbus.benchmarks.versus;

/** The libraries set side by side, each started with its own defaults. */
enum Contender {
    RAFTBUS("raftbus", "raftbus-"),
    MICRORAFT("MicroRaft 0.7", "Raft-");

    private final String label;
    private final String threadNamePrefix;

    Contender(String label, String threadNamePrefix) {
        this.label = label;
        this.threadNamePrefix = threadNamePrefix;
    }

    String label() {
        return label;
    }

    /** How the names of the threads this library starts begin, with its default executor. */
    String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** Builds and starts a fresh three-node cluster of this library. */
    ClusterUnderTest start() {
        return switch (this) {
            case RAFTBUS -> RaftbusCluster.start();
            case MICRORAFT -> MicroRaftCluster.start();
        };
    }

    /**
     * Builds and starts a fresh three-node cluster of this library that heartbeats and snapshots at MicroRaft's
     * default periods: MicroRaft with its defaults, raftbus with {@link RaftbusCluster#startAtMicroRaftSettings()}.
     */
    ClusterUnderTest startAtMicroRaftSettings() {
        return switch (this) {
            case RAFTBUS -> RaftbusCluster.startAtMicroRaftSettings();
            case MICRORAFT -> MicroRaftCluster.start();
        };
    }
}
