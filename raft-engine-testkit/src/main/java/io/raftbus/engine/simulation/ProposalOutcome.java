package io.raftbus.engine.simulation;

/**
 * What became of a command submitted in the simulation.
 *
 * @param status pending, committed (applied with the submitter's waiter), or failed
 * @param index for a committed command, its log index
 * @param failure for a failed command, why
 */
public record ProposalOutcome(Status status, long index, RuntimeException failure) {

    /** The life of a proposal. */
    public enum Status { PENDING, COMMITTED, FAILED }

    static final ProposalOutcome PENDING = new ProposalOutcome(Status.PENDING, 0, null);

    static ProposalOutcome committed(long index) {
        return new ProposalOutcome(Status.COMMITTED, index, null);
    }

    static ProposalOutcome failed(RuntimeException cause) {
        return new ProposalOutcome(Status.FAILED, 0, cause);
    }
}
