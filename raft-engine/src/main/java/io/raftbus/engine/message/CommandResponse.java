package io.raftbus.engine.message;

/**
 * Answer to a {@link CommandRequest}.
 *
 * <ul>
 *   <li>{@link Status#ACCEPTED}: (to a member) the leader appended the command at {@code index} in {@code entryTerm};
 *       the member completes its caller when it applies that index with that term.</li>
 *   <li>{@link Status#APPLIED}: (to an external client) the command was committed and applied at {@code index};
 *       {@code result} is the state machine's result.</li>
 *   <li>{@link Status#NOT_LEADER}: the receiver is not the leader; {@code leaderHint} names the leader if known.</li>
 *   <li>{@link Status#REJECTED}: refused (backpressure, command too large, ...); {@code error} says why.</li>
 * </ul>
 */
public record CommandResponse(String clusterId, String from, String to, long term,
                              long requestId, Status status, long index, long entryTerm,
                              String leaderHint, byte[] result, String error) implements RaftMessage {

    /** Outcome of a {@link CommandRequest}. */
    public enum Status { ACCEPTED, APPLIED, NOT_LEADER, REJECTED }
}
