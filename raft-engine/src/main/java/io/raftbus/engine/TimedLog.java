package io.raftbus.engine;

import io.raftbus.engine.metrics.Latency;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * The node's log with its durable writes timed into {@link NodeMetrics}: {@link #append} and
 * {@link #saveHardState} (a failed call is timed too: it took that long). Every other call is forwarded as is.
 */
final class TimedLog extends ForwardingLog {

    private final Latency append;
    private final Latency hardState;

    TimedLog(LogAPI log, NodeMetrics metrics) {
        super(log);
        this.append = metrics.logAppend();
        this.hardState = metrics.logHardState();
    }

    @Override
    public void append(List<LogEntry> entries) {
        long start = System.nanoTime();
        try {
            super.append(entries);
        } finally {
            append.record(System.nanoTime() - start);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        long start = System.nanoTime();
        try {
            super.saveHardState(state);
        } finally {
            hardState.record(System.nanoTime() - start);
        }
    }
}
