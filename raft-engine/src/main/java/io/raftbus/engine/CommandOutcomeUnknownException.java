package io.raftbus.engine;

/**
 * The node cannot tell whether the command was committed (for example a forwarded command whose acknowledgement
 * never arrived, or any command without an outcome within {@link RaftConfig#commandTimeoutMs()}). It may or may not
 * be applied; retry only if the command is idempotent.
 */
public class CommandOutcomeUnknownException extends RaftException {

    public CommandOutcomeUnknownException(String message) {
        super(message);
    }
}
