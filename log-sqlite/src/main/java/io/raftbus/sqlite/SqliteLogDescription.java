package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a node's SQLite log file holds, as read by {@link SqliteLogInspector}: its owner, its durable Raft state and
 * its last entries. The commit index is not among them: Raft never stores it (a restarted node learns it from the
 * leader), so right after a restart a node reports commit 0 whatever its log holds.
 *
 * @param file the database file
 * @param schemaVersion the log's schema version ({@code PRAGMA user_version})
 * @param clusterId the cluster the file belongs to
 * @param nodeId the node the file belongs to
 * @param currentTerm the latest term the node has seen
 * @param votedFor whom the node voted for in {@code currentTerm}, or null
 * @param snapshotIndex the index of the last entry compacted into a snapshot (0: none): the log's prefix ends there
 * @param snapshotTerm the term of that entry
 * @param firstIndex the first index in the log ({@code snapshotIndex + 1})
 * @param lastIndex the last index in the log ({@code snapshotIndex} when the log holds no entries)
 * @param lastTerm the term of the last entry
 * @param lastApplied the last applied index recorded by a {@link SqliteStateMachine} in this file; 0 when the state
 *                    machine keeps its state elsewhere (it is then rebuilt from the log at every start)
 * @param membership the stored membership, node id to role ({@code VOTER} or {@code LEARNER}); empty when none is
 *                   stored (the members then come from the node's configuration)
 * @param lastEntries the last entries, in index order
 * @param space how the file uses its pages, and the compacted rows still waiting to be deleted
 */
public record SqliteLogDescription(Path file, int schemaVersion, String clusterId, String nodeId, long currentTerm,
                                   String votedFor, long snapshotIndex, long snapshotTerm, long firstIndex,
                                   long lastIndex, long lastTerm, long lastApplied, Map<String, String> membership,
                                   List<Entry> lastEntries, Space space) {

    public SqliteLogDescription {
        membership = Map.copyOf(membership);
        lastEntries = List.copyOf(lastEntries);
    }

    /** How many entries the log holds. */
    public long entryCount() {
        return lastIndex - snapshotIndex;
    }

    /**
     * The file's space.
     *
     * @param pageSize bytes per page
     * @param pageCount pages in the file (the WAL aside)
     * @param freePages pages free for reuse
     * @param incrementalVacuum whether free pages are given back to the file system after a compaction (files
     *     created by schema version 2 and later); if false, they are only reused by later appends, and the file
     *     shrinks only when an operator runs {@code VACUUM} on it while the node is stopped
     * @param garbageEntries compacted entries still in the file, at or below the snapshot index: never read, deleted
     *     a batch at a time with the next appends
     */
    public record Space(long pageSize, long pageCount, long freePages, boolean incrementalVacuum,
                        long garbageEntries) {
    }

    /**
     * One log entry.
     *
     * @param index its index
     * @param term the term it was created in
     * @param type command, no-op (a new leader's first entry) or configuration
     * @param payload its bytes (the application's encoding of a command)
     */
    public record Entry(long index, long term, EntryType type, byte[] payload) {
    }
}
