package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * A committed entry handed to the runtime to apply, in index order, exactly once.
 *
 * @param entry the entry (only {@link io.raftbus.engine.spi.EntryType#COMMAND} entries reach the state machine)
 * @param waiters whom to hand the result to once applied (empty for most entries on followers)
 */
public record CommittedEntry(LogEntry entry, List<Waiter> waiters) {

    public CommittedEntry {
        waiters = List.copyOf(waiters);
    }
}
