package io.raftbus.engine.message;

/**
 * PreVote (Raft thesis §9.6): "would you vote for me in {@code term}?" Sent before a real election; does not change
 * the receiver's term or vote.
 *
 * @param term the term the sender would campaign in: above its current term and above the term of each of its
 *             earlier pre-campaigns (its current term + 1 at first), so that a grant, which carries it, answers
 *             exactly one pre-campaign
 * @param lastLogIndex index of the sender's last log entry
 * @param lastLogTerm term of the sender's last log entry
 */
public record PreVoteRequest(String clusterId, String from, String to, long term,
                             long lastLogIndex, long lastLogTerm) implements RaftMessage {
}
