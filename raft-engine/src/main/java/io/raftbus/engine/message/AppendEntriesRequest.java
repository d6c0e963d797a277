package io.raftbus.engine.message;

import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * AppendEntries (Raft §5.3), also the heartbeat when {@code entries} is empty.
 *
 * @param prevLogIndex index of the entry immediately preceding {@code entries}
 * @param prevLogTerm term of that entry
 * @param entries entries to store, contiguous from {@code prevLogIndex + 1} (may be empty)
 * @param leaderCommit the leader's commit index
 */
public record AppendEntriesRequest(String clusterId, String from, String to, long term,
                                   long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
                                   long leaderCommit) implements RaftMessage {

    public AppendEntriesRequest {
        entries = List.copyOf(entries);
    }

    /** Index of the last entry carried, or {@code prevLogIndex} for a heartbeat. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
