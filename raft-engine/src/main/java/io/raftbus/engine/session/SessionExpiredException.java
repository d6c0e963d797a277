package io.raftbus.engine.session;

import io.raftbus.engine.RaftException;

/**
 * The cluster's session table does not hold the client's session (it expired after {@code idleTimeoutMs} of log time
 * without a command or keep-alive, or was never registered): the command was not applied by this attempt, and no
 * command of that session will ever be applied. Whether an <em>earlier</em> attempt of the same command was applied
 * before the session expired is said by {@link #earlierAttemptMayHaveApplied()}; if not, submitting the command in
 * a new session is safe.
 */
public class SessionExpiredException extends RaftException {

    private final boolean earlierAttemptMayHaveApplied;

    public SessionExpiredException(String message, boolean earlierAttemptMayHaveApplied) {
        super(message);
        this.earlierAttemptMayHaveApplied = earlierAttemptMayHaveApplied;
    }

    /** Whether an earlier attempt of this command may have been applied before the session expired. */
    public boolean earlierAttemptMayHaveApplied() {
        return earlierAttemptMayHaveApplied;
    }
}
