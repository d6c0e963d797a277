package io.raftbus.engine;

/**
 * The node was crashed ({@link RaftNode#crash()}) while this command was in flight: it may or may not have been
 * committed by the rest of the cluster, and may be applied there. Not retriable as such; retry only if the command is
 * idempotent, as for any {@link CommandOutcomeUnknownException}.
 */
public class NodeCrashedException extends CommandOutcomeUnknownException {

    public NodeCrashedException(String message) {
        super(message);
    }
}
