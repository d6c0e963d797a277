package io.raftbus.engine;

/**
 * The leader accepted the command but could not append it: its log write failed before it sent the command to any
 * follower, or it was no longer the leader when the buffered commands were appended. The command is certainly not in
 * any log and will never be applied, so it is safe to retry. The message names the cause. (A leader that sent the
 * batch ahead of its own write, {@link RaftConfig#leaderAppendOverlapsSend()}, and then failed to write it, fails
 * the batch with {@link CommandOutcomeUnknownException} instead: its followers may hold it.)
 */
public class CommandNotAppendedException extends RetriableCommandException {

    public CommandNotAppendedException(String message) {
        super(message);
    }
}
