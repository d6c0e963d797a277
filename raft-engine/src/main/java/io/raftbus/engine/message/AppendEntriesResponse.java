package io.raftbus.engine.message;

/**
 * Answer to an {@link AppendEntriesRequest}. Self-describing, so the leader can match it without remembering
 * which request it answers.
 *
 * @param success whether the log-matching check passed and the entries are durably stored
 * @param matchIndex on success, the index up to which the follower's log is known to match the leader's
 *                   ({@code prevLogIndex + entries.size()} of the request); on failure, 0
 * @param rejectedIndex on failure, the request's {@code prevLogIndex} (lets the leader ignore stale rejections);
 *                      on success, 0
 * @param conflictTerm on failure, the term of the follower's entry at {@code prevLogIndex}, or 0 if the follower's
 *                     log is shorter than {@code prevLogIndex}
 * @param conflictIndex on failure, the first index the follower holds for {@code conflictTerm}, or (log too short)
 *                      the follower's last index + 1; the leader resumes from there, skipping a whole term per
 *                      round trip; 0 when the request's term was older than the follower's (see
 *                      {@link #answersEarlierTerm()})
 * @param lastLogIndex the follower's last log index after processing the request
 * @param readSeq the request's {@link AppendEntriesRequest#readSeq()}, echoed when the request was of the follower's
 *                term; 0 when it answers a request of an earlier term
 */
public record AppendEntriesResponse(String clusterId, String from, String to, long term,
                                    boolean success, long matchIndex, long rejectedIndex, long conflictTerm,
                                    long conflictIndex, long lastLogIndex, long readSeq) implements RaftMessage {

    /** Echoing no read-confirmation round. */
    public AppendEntriesResponse(String clusterId, String from, String to, long term, boolean success,
                                 long matchIndex, long rejectedIndex, long conflictTerm, long conflictIndex,
                                 long lastLogIndex) {
        this(clusterId, from, to, term, success, matchIndex, rejectedIndex, conflictTerm, conflictIndex, lastLogIndex,
                0);
    }

    /**
     * Whether this answers a request of a term older than {@link #term()}: a rejection with no conflict index (a
     * follower sets one, at least 1, on every other rejection). It only tells the sender of a newer term; its receiver,
     * if it leads {@code term}, must not take it as an answer to its own requests.
     */
    public boolean answersEarlierTerm() {
        return !success && conflictIndex == 0;
    }
}
