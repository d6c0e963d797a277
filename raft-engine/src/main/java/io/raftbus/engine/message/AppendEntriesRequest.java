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
 * @param readSeq the leader's latest read-confirmation round when it sent this (0: none yet); the follower echoes
 *                it, and a majority of echoes of round n or later proves the sender was still leader after every
 *                read of round n arrived (ReadIndex, thesis §6.4)
 */
public record AppendEntriesRequest(String clusterId, String from, String to, long term,
                                   long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
                                   long leaderCommit, long readSeq) implements RaftMessage {

    /** Keeps {@code entries} as is if it is immutable already ({@link LogEntries#immutable}), else copies it. */
    public AppendEntriesRequest {
        entries = LogEntries.immutable(entries);
    }

    /** Without a read-confirmation round. */
    public AppendEntriesRequest(String clusterId, String from, String to, long term, long prevLogIndex,
                                long prevLogTerm, List<LogEntry> entries, long leaderCommit) {
        this(clusterId, from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit, 0);
    }

    /** Index of the last entry carried, or {@code prevLogIndex} for a heartbeat. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
