package io.raftbus.engine.core;

import io.raftbus.engine.RaftException;

/**
 * A local proposal that will not complete normally: its entry was replaced by another leader's
 * ({@link io.raftbus.engine.CommandNotCommittedException}), its forward was refused or timed out, and so on.
 */
public record ProposalFailure(long proposalId, RaftException cause) {
}
