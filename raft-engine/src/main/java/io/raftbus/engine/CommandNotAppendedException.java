package io.raftbus.engine;

/**
 * The leader accepted the command but could not append it: its log write failed, or it was no longer the leader
 * when the buffered commands were appended. The command is certainly not in any log and will never be applied, so
 * it is safe to retry. The message names the cause.
 */
public class CommandNotAppendedException extends RetriableCommandException {

    public CommandNotAppendedException(String message) {
        super(message);
    }
}
