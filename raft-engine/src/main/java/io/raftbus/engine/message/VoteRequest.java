package io.raftbus.engine.message;

/**
 * RequestVote (Raft §5.2): a candidate asks for a vote in {@code term}.
 *
 * @param lastLogIndex index of the candidate's last log entry
 * @param lastLogTerm term of the candidate's last log entry
 */
public record VoteRequest(String clusterId, String from, String to, long term,
                          long lastLogIndex, long lastLogTerm) implements RaftMessage {
}
