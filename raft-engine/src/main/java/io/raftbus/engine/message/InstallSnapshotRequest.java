package io.raftbus.engine.message;

import io.raftbus.engine.spi.Membership;

import java.util.Objects;

/**
 * One chunk of a snapshot the leader sends to a follower whose next needed entry its log no longer holds (Raft
 * §7). Self-describing: every chunk names the snapshot (index, term, size, checksum), so the follower can tell a
 * continuation from a stale or foreign chunk, and a chunk may be lost, duplicated or reordered like any message.
 *
 * @param snapshotIndex last log index the snapshot covers
 * @param snapshotTerm term of the entry at {@code snapshotIndex}
 * @param membership membership in force at {@code snapshotIndex}
 * @param totalBytes length of the whole snapshot
 * @param checksum CRC32C of the whole snapshot, checked by the follower before it installs
 * @param offset where {@code data} starts within the snapshot
 * @param data the chunk's bytes (empty only for an empty snapshot)
 * @param done whether this chunk ends the snapshot ({@code offset + data.length == totalBytes})
 * @param readSeq the leader's latest read-confirmation round, echoed as in {@link AppendEntriesRequest#readSeq()}
 */
public record InstallSnapshotRequest(String clusterId, String from, String to, long term, long snapshotIndex,
                                     long snapshotTerm, Membership membership, long totalBytes, long checksum,
                                     long offset, byte[] data, boolean done, long readSeq) implements RaftMessage {

    public InstallSnapshotRequest {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(data, "data");
    }

    /** Where the next chunk starts. */
    public long endOffset() {
        return offset + data.length;
    }

    @Override
    public String toString() {
        return "InstallSnapshotRequest[" + from + "->" + to + " term=" + term + " snapshot=" + snapshotIndex + "@"
                + snapshotTerm + " bytes=" + offset + ".." + endOffset() + "/" + totalBytes + " done=" + done
                + " readSeq=" + readSeq + "]";
    }
}
