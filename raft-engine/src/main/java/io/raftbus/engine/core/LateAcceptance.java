package io.raftbus.engine.core;

/**
 * A command whose entry this node had already handed out for applying when its waiter turned up: a forwarded
 * command's acknowledgement that arrived late ({@link Waiter.Local}), or an external client's retry of a command
 * appended before ({@link Waiter.Remote}). The command is committed and applied at {@code index}; the runtime
 * answers the waiter with the result it recorded for that index, or, if it no longer has it, says the command was
 * applied.
 */
public record LateAcceptance(Waiter waiter, long index) {

    /** A forwarded command's late acknowledgement. */
    public LateAcceptance(long proposalId, long index) {
        this(new Waiter.Local(proposalId), index);
    }
}
