package io.raftbus.benchmarks.versus;

/** The libraries set side by side, each started with its own defaults. */
enum Contender {
    RAFTBUS("raftbus"),
    MICRORAFT("MicroRaft 0.7");

    private final String label;

    Contender(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Builds and starts a fresh three-node cluster of this library. */
    ClusterUnderTest start() {
        return switch (this) {
            case RAFTBUS -> RaftbusCluster.start();
            case MICRORAFT -> MicroRaftCluster.start();
        };
    }
}
