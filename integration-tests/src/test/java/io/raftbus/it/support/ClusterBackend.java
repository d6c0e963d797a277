package io.raftbus.it.support;

import java.nio.file.Path;
import java.util.Set;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.Transport;

/** Where a {@link ClusterHarness} gets each node's transport and durable log from. */
public interface ClusterBackend {

    /** A fresh, unstarted transport for {@code nodeId} of {@code clusterId}. */
    Transport transport(String clusterId, Set<String> members, String nodeId);

    /** Opens (creating if missing) the node's durable log in {@code file}. */
    LogAPI openLog(Path file, String clusterId, String nodeId);
}
