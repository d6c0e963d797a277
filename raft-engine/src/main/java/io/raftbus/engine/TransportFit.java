package io.raftbus.engine;

import io.raftbus.engine.spi.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lowers the size limits of a {@link RaftConfig} so every message the node sends fits its transport. */
final class TransportFit {

    private static final Logger LOG = LoggerFactory.getLogger(TransportFit.class);

    private TransportFit() {
    }

    /**
     * The configuration to run with over a transport carrying at most {@code maxMessageBytes} per message: entry
     * bytes per AppendEntries at most {@code maxMessageBytes - RaftNode.TRANSPORT_HEADROOM_BYTES}, commands
     * small enough that one fits in such a message (lowered with a warning if configured larger), and snapshot chunks
     * ({@link RaftConfig#snapshotChunkBytes()}) no larger than that budget either (the headroom covers an
     * InstallSnapshot's own fields, its membership included).
     *
     * @throws IllegalArgumentException if the transport cannot carry even a one-byte command
     */
    static RaftConfig fit(RaftConfig config, long maxMessageBytes, String nodeId) {
        if (maxMessageBytes == Long.MAX_VALUE) {
            return config;
        }
        long budget = maxMessageBytes - RaftNode.TRANSPORT_HEADROOM_BYTES;
        long commandBudget = budget - LogEntry.OVERHEAD_BYTES;
        if (commandBudget < 1) {
            throw new IllegalArgumentException("the transport of node " + nodeId + " carries at most "
                    + maxMessageBytes + " bytes per message, too little for the " + RaftNode.TRANSPORT_HEADROOM_BYTES
                    + " bytes raftbus reserves for message headers plus one command; raise the transport's "
                    + "message size limit");
        }
        long maxBytesPerAppend = Math.min(config.maxBytesPerAppend(), budget);
        int maxCommandBytes = (int) Math.min(config.maxCommandBytes(), commandBudget);
        if (maxCommandBytes < config.maxCommandBytes()) {
            LOG.warn("node {}: maxCommandBytes lowered from {} to {} so that a command fits the transport's {}-byte "
                    + "message limit", nodeId, config.maxCommandBytes(), maxCommandBytes, maxMessageBytes);
        }
        int snapshotChunkBytes = (int) Math.min(config.snapshotChunkBytes(), budget);
        if (snapshotChunkBytes < config.snapshotChunkBytes()) {
            LOG.info("node {}: snapshotChunkBytes lowered from {} to {} to fit the transport's {}-byte message limit",
                    nodeId, config.snapshotChunkBytes(), snapshotChunkBytes, maxMessageBytes);
        }
        if (maxBytesPerAppend < config.maxBytesPerAppend()) {
            LOG.info("node {}: maxBytesPerAppend lowered from {} to {} to fit the transport's {}-byte message limit",
                    nodeId, config.maxBytesPerAppend(), maxBytesPerAppend, maxMessageBytes);
        }
        return config.toBuilder().maxBytesPerAppend(maxBytesPerAppend).maxCommandBytes(maxCommandBytes)
                .snapshotChunkBytes(snapshotChunkBytes).build();
    }
}
