package io.raftbus.engine.core;

/**
 * A forwarded command's acknowledgement that arrived after this node had already handed the command's (matching)
 * entry out for applying. The command is committed and applied at {@code index}; the runtime completes the
 * proposal with the result it recorded for that index, if it still has it.
 */
public record LateAcceptance(long proposalId, long index) {
}
