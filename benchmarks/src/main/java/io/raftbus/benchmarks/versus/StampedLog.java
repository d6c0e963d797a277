package io.raftbus.benchmarks.versus;

import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/** A raftbus log that stamps {@link HopStamps} when a follower appends entries; otherwise the log it wraps. */
final class StampedLog extends ForwardingLog {

    private final String nodeId;
    private final HopStamps stamps;

    StampedLog(String nodeId, LogAPI delegate, HopStamps stamps) {
        super(delegate);
        this.nodeId = nodeId;
        this.stamps = stamps;
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (!stamps.isLeader(nodeId)) {
            stamps.reached(HopStamps.Stage.FOLLOWER_APPENDED);
        }
        super.append(entries);
    }
}
