package io.raftbus.engine.message;

/**
 * RequestVote (Raft §5.2): a candidate asks for a vote in {@code term}.
 *
 * @param lastLogIndex index of the candidate's last log entry
 * @param lastLogTerm term of the candidate's last log entry
 * @param leadershipTransfer the candidate campaigns because the leader told it to ({@link TimeoutNow}): a voter
 *                           grants its vote even while it believes in a live leader (the CheckQuorum lease), since
 *                           that leader asked for the election. The §5.4.1 up-to-date check and one vote per term
 *                           apply as always.
 */
public record VoteRequest(String clusterId, String from, String to, long term,
                          long lastLogIndex, long lastLogTerm, boolean leadershipTransfer) implements RaftMessage {

    /** An ordinary vote request (not a leadership transfer). */
    public VoteRequest(String clusterId, String from, String to, long term, long lastLogIndex, long lastLogTerm) {
        this(clusterId, from, to, term, lastLogIndex, lastLogTerm, false);
    }
}
