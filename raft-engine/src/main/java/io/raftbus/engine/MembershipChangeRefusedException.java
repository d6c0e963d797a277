package io.raftbus.engine;

/**
 * A membership change was refused for now and nothing was appended, so proposing it again later is safe: another
 * change is still uncommitted, the leader has not yet committed an entry of its own term (the single-server change
 * rule, Ongaro, raft-dev 2015), or the learner to promote is not yet close enough to the leader's log
 * ({@link RaftConfig#maxLearnerLagEntries()}).
 */
public class MembershipChangeRefusedException extends RetriableCommandException {

    public MembershipChangeRefusedException(String message) {
        super(message);
    }
}
