package io.raftbus.engine.message;

/**
 * Answer to a {@link PreVoteRequest}.
 *
 * @param term if granted, the term of the request; if refused, the responder's current term
 * @param granted whether the responder would vote for the sender
 * @param preCampaignNumber the request's {@link PreVoteRequest#preCampaignNumber()}, echoed; 0 from a peer too old
 *                          to echo it
 */
public record PreVoteResponse(String clusterId, String from, String to, long term,
                              boolean granted, long preCampaignNumber) implements RaftMessage {

    /** The receiver's grant of {@code request}: its term and pre-campaign number, echoed. */
    public static PreVoteResponse grant(PreVoteRequest request) {
        return new PreVoteResponse(request.clusterId(), request.to(), request.from(), request.term(), true,
                request.preCampaignNumber());
    }

    /** The receiver's refusal of {@code request}, carrying the receiver's {@code currentTerm}. */
    public static PreVoteResponse refusal(PreVoteRequest request, long currentTerm) {
        return new PreVoteResponse(request.clusterId(), request.to(), request.from(), currentTerm, false,
                request.preCampaignNumber());
    }
}
