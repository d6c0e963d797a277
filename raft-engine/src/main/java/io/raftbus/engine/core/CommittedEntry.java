package io.raftbus.engine.core;

import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * One committed entry with its waiters: how {@link CommittedEntries} shows an element as a {@code List} (tests, tools);
 * the runtime reads the range's accessors instead and no such record is made on its path.
 *
 * @param entry the entry (only {@link io.raftbus.engine.spi.EntryType#COMMAND} entries reach the state machine)
 * @param waiters whom to hand the result to once applied (empty for most entries on followers)
 */
public record CommittedEntry(LogEntry entry, List<Waiter> waiters) {

    public CommittedEntry {
        waiters = List.copyOf(waiters);
    }
}
