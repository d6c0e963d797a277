package io.raftbus.engine;

/**
 * The command was appended but a leader change replaced it before it was committed: it will never be applied.
 * Safe to retry.
 */
public class CommandNotCommittedException extends RetriableCommandException {

    public CommandNotCommittedException(String message) {
        super(message);
    }
}
