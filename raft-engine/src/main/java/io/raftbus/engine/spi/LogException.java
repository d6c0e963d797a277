package io.raftbus.engine.spi;

import io.raftbus.engine.RaftException;

/**
 * A {@link LogAPI} could not read or durably write. A write that throws must have left the log as it was before
 * the call (all or nothing); the engine then acknowledges nothing that depends on it.
 */
public class LogException extends RaftException {

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
