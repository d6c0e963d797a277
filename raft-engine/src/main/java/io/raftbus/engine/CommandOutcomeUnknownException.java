package io.raftbus.engine;

/**
 * The node cannot tell whether the command was committed (for example a forwarded command whose acknowledgement
 * never arrived, any command without an outcome within {@link RaftConfig#commandTimeoutMs()}, or a command whose
 * append failed with a permanent log error, after which the write may still be on disk). It may or may not
 * be applied; retry only if the command is idempotent.
 */
public class CommandOutcomeUnknownException extends RaftException {

    public CommandOutcomeUnknownException(String message) {
        super(message);
    }

    public CommandOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
