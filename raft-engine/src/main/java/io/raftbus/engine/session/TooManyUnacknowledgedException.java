package io.raftbus.engine.session;

import io.raftbus.engine.RetriableCommandException;

/**
 * The session held as many results its client had not acknowledged as the cluster's
 * {@link SessionLimits#maxUnacknowledgedResults()} allows, so the command was refused by the session table: it was
 * certainly not applied (no earlier attempt of it may have been) and never will be. Fewer commands in flight per
 * session, or more sessions, avoid it. Thrown by {@link SessionClient}; when an earlier attempt's outcome was unknown
 * the client fails with {@link io.raftbus.engine.CommandOutcomeUnknownException} instead.
 */
public class TooManyUnacknowledgedException extends RetriableCommandException {

    public TooManyUnacknowledgedException(String message) {
        super(message);
    }
}
