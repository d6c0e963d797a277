package io.raftbus.engine.message;

/**
 * A follower's answer to an {@link InstallSnapshotRequest}, naming the snapshot it answers about so the leader can
 * match it without remembering what it sent.
 *
 * @param snapshotIndex the answered chunk's snapshot index
 * @param snapshotTerm the answered chunk's snapshot term
 * @param checksum the answered chunk's snapshot checksum
 * @param nextOffset the offset the follower expects next for this snapshot (everything before it is stored); 0 when
 *                   it holds none of it (restarted, checksum mismatch, another snapshot under way)
 * @param installed whether the follower's log now continues at or after {@code snapshotIndex}: it installed this
 *                  snapshot, or its commit index had already reached it (nothing to install)
 * @param matchIndex when {@code installed}, the index up to which the follower's log is known to match the
 *                   leader's; 0 otherwise
 * @param readSeq the request's read round, echoed when the request was of the follower's term; else 0
 */
public record InstallSnapshotResponse(String clusterId, String from, String to, long term, long snapshotIndex,
                                      long snapshotTerm, long checksum, long nextOffset, boolean installed,
                                      long matchIndex, long readSeq) implements RaftMessage {
}
