package io.raftbus.benchmarks.stability;

import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * A log that times its durable writes ({@code append}, {@code saveHardState}, {@code truncateSuffix}: one
 * transaction and fsync each). The node's event loop makes these calls itself, so each one is time the loop sends no
 * heartbeat and handles no message.
 */
final class TimingLog extends ForwardingLog {

    private final Samples writeMillis;

    TimingLog(LogAPI delegate, Samples writeMillis) {
        super(delegate);
        this.writeMillis = writeMillis;
    }

    @Override
    public void append(List<LogEntry> entries) {
        long start = System.nanoTime();
        try {
            super.append(entries);
        } finally {
            writeMillis.add((System.nanoTime() - start) / 1e6);
        }
    }

    @Override
    public void saveHardState(HardState state) {
        long start = System.nanoTime();
        try {
            super.saveHardState(state);
        } finally {
            writeMillis.add((System.nanoTime() - start) / 1e6);
        }
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        long start = System.nanoTime();
        try {
            super.truncateSuffix(fromIndex);
        } finally {
            writeMillis.add((System.nanoTime() - start) / 1e6);
        }
    }
}
