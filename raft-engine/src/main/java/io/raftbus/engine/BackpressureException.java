package io.raftbus.engine;

/**
 * Too many commands are accepted but not yet committed ({@link RaftConfig#maxPendingCommands()}); the command was
 * refused without being appended. Safe to retry later.
 */
public class BackpressureException extends RetriableCommandException {

    public BackpressureException(String message) {
        super(message);
    }
}
