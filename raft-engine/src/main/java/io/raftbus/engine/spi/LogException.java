package io.raftbus.engine.spi;

import io.raftbus.engine.RaftException;

/**
 * A {@link LogAPI} could not read or durably write. A write that throws must have left the log as it was before
 * the call (all or nothing); the engine then acknowledges nothing that depends on it.
 *
 * <p>Most failures are transient (a full disk, a lock held by another process): the failed call changed nothing, a
 * later call may succeed, and a node carries on. A {@linkplain #isPermanent() permanent} one says the log can no
 * longer work at all until the process restarts and opens its storage again (for example after an I/O error, when
 * the page cache can no longer be trusted, or after detecting corruption); a node stops on it.
 */
public class LogException extends RaftException {

    private final boolean permanent;

    /** A transient failure. */
    public LogException(String message) {
        super(message);
        this.permanent = false;
    }

    /** A transient failure. */
    public LogException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param permanent whether the log has stopped for good: every later call fails too, until a restart
     */
    public LogException(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    /**
     * Whether the log has stopped for good: every later call on it fails too, until the process restarts and opens
     * the storage again. A {@code RaftNode} whose log throws such an exception stops with a fatal error
     * ({@code RaftListener.onFatalError}); after a transient one ({@code false}) it carries on and Raft retries.
     */
    public boolean isPermanent() {
        return permanent;
    }
}
