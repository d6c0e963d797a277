package io.raftbus.benchmarks.membership;

/**
 * What one join measured. Times are milliseconds from the {@code addMember} call on the leader to the first poll
 * (every millisecond) that saw the milestone, {@code NaN} if it was not reached (no snapshot sent, or the join
 * failed).
 *
 * @param snapshots whether the cluster takes snapshots
 * @param loaded whether a client load ran during the join
 * @param leaderLastIndex the leader's last log index when addMember was called
 * @param leaderFirstIndex the first index its log still held then (entries before it are only in its snapshot)
 * @param contactMs the joiner knows the leader
 * @param firstChunkMs the first snapshot chunk reached the joiner
 * @param lastChunkMs the last snapshot chunk reached it
 * @param installedMs its snapshot index is no longer 0 (snapshot installed and restored)
 * @param caughtUpMs it applied everything the leader had committed when addMember was called
 * @param promotionAppendedMs the leader appended its promotion: the learner came within maxLearnerLagEntries
 * @param votingMs the addMember future completed: the promotion committed, the joiner votes
 * @param snapshotBytes snapshot chunk bytes that reached the joiner (duplicates included)
 * @param snapshotTotalBytes the size of the snapshot those chunks belong to
 * @param chunks snapshot chunks that reached it
 * @param entriesReceived log entries that reached it in AppendEntries
 * @param entryBytesReceived their payload bytes
 * @param loadSubmitted client commands submitted during the join (0 when idle)
 * @param loadFailed of those, commands that failed (not applied or outcome unknown)
 * @param failure why the join did not complete, or null
 */
record JoinTimes(boolean snapshots, boolean loaded, long leaderLastIndex, long leaderFirstIndex, double contactMs,
                 double firstChunkMs, double lastChunkMs, double installedMs, double caughtUpMs,
                 double promotionAppendedMs, double votingMs, long snapshotBytes, long snapshotTotalBytes,
                 long chunks, long entriesReceived, long entryBytesReceived, long loadSubmitted, long loadFailed,
                 String failure) {

    /** The variant's label in the tables. */
    String variant() {
        return (snapshots ? "snapshots" : "no snapshots") + ", " + (loaded ? "under load" : "idle");
    }
}
