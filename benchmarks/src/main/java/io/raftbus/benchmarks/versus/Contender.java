package io.raftbus.benchmarks.versus;

/**
 * The libraries set side by side, each started with its own defaults, and a variant of raftbus's defaults measured
 * on request ({@link #RAFTBUS_ON_LOOP}).
 */
enum Contender {
    RAFTBUS("raftbus", "raftbus-"),
    MICRORAFT("MicroRaft 0.7", "Raft-"),
    /** raftbus with {@link io.raftbus.engine.RaftConfig#completeOnEventLoop()} on, its other settings the defaults. */
    RAFTBUS_ON_LOOP("raftbus, completeOnEventLoop", "raftbus-");

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
            case RAFTBUS -> RaftbusCluster.start(false);
            case MICRORAFT -> MicroRaftCluster.start();
            case RAFTBUS_ON_LOOP -> RaftbusCluster.start(true);
        };
    }

    /**
     * Builds and starts a fresh three-node cluster of this library that heartbeats and snapshots at MicroRaft's
     * default periods: MicroRaft with its defaults, raftbus with {@link RaftbusCluster#startAtMicroRaftSettings()}.
     */
    ClusterUnderTest startAtMicroRaftSettings() {
        return switch (this) {
            case RAFTBUS -> RaftbusCluster.startAtMicroRaftSettings(false);
            case MICRORAFT -> MicroRaftCluster.start();
            case RAFTBUS_ON_LOOP -> RaftbusCluster.startAtMicroRaftSettings(true);
        };
    }
}
