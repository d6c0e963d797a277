package io.raftbus.engine.message;

/**
 * Leadership transfer (Ongaro's thesis §3.10): the leader of {@code term}, whose log the receiver has caught up
 * with, tells it to start an election now instead of waiting for its election timeout. The receiver campaigns with
 * {@link VoteRequest#leadershipTransfer()} set, so voters that still hear from the leader grant their vote anyway.
 */
public record TimeoutNow(String clusterId, String from, String to, long term) implements RaftMessage {
}
