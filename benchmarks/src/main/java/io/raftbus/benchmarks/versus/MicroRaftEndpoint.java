package io.raftbus.benchmarks.versus;

import io.microraft.RaftEndpoint;

/** A MicroRaft node's address inside this JVM: just its name. */
record MicroRaftEndpoint(String id) implements RaftEndpoint {

    @Override
    public Object getId() {
        return id;
    }
}
