package io.raftbus.engine.core;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.LogException;

import java.util.ArrayList;
import java.util.List;

/** An InMemoryLog that records append batch sizes and saved hard states, and can be told to fail appends. */
final class CountingLog extends ForwardingLog {

    final List<Integer> appendBatchSizes = new ArrayList<>();
    /** Every hard state saved, in order: one entry per durable write of term and vote. */
    final List<HardState> savedHardStates = new ArrayList<>();
    boolean failAppends;
    /** With {@link #failAppends}: the failure is a permanent one (an I/O error after which the write may be on disk). */
    boolean failAppendsPermanently;
    boolean failSaveHardState;
    /** If positive: the termAt call that many calls from now fails (1 = the next one). */
    int failTermAtCall;

    CountingLog() {
        super(new InMemoryLog());
    }

    @Override
    public void saveHardState(HardState state) {
        if (failSaveHardState) {
            throw new LogException("disk full (test)");
        }
        savedHardStates.add(state);
        super.saveHardState(state);
    }

    @Override
    public long termAt(long index) {
        if (failTermAtCall > 0 && --failTermAtCall == 0) {
            throw new LogException("read error (test)");
        }
        return super.termAt(index);
    }

    @Override
    public void append(List<LogEntry> entries) {
        if (failAppends && failAppendsPermanently) {
            throw new LogException("I/O error during fsync (test)", null, true);
        }
        if (failAppends) {
            throw new LogException("disk full (test)");
        }
        appendBatchSizes.add(entries.size());
        super.append(entries);
    }
}
