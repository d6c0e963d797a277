package io.raftbus.engine.message;

/**
 * Answer to a {@link VoteRequest}.
 *
 * @param term the responder's current term (after processing the request)
 * @param granted whether the vote was granted for {@code term}
 */
public record VoteResponse(String clusterId, String from, String to, long term,
                           boolean granted) implements RaftMessage {
}
