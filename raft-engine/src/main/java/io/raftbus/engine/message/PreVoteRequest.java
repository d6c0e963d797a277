package io.raftbus.engine.message;

/**
 * PreVote (Raft thesis §9.6): "would you vote for me in {@code term}?" Sent before a real election; does not change
 * the receiver's term or vote.
 *
 * @param term the term the sender would campaign in (its current term + 1)
 * @param lastLogIndex index of the sender's last log entry
 * @param lastLogTerm term of the sender's last log entry
 * @param preCampaignNumber identifies the sender's pre-campaign (random, never 0); the answer echoes it, so a late
 *                          answer to an earlier pre-campaign is told apart. 0 from a peer too old to send it
 */
public record PreVoteRequest(String clusterId, String from, String to, long term,
                             long lastLogIndex, long lastLogTerm, long preCampaignNumber) implements RaftMessage {
}
