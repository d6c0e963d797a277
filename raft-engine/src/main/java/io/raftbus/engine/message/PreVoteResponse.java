package io.raftbus.engine.message;

/**
 * Answer to a {@link PreVoteRequest}.
 *
 * @param term if granted, the term of the request; if refused, the responder's current term
 * @param granted whether the responder would vote for the sender
 */
public record PreVoteResponse(String clusterId, String from, String to, long term,
                              boolean granted) implements RaftMessage {
}
