package io.raftbus.sqlite;

import io.raftbus.engine.spi.LogException;

/**
 * A {@link SqliteLog} could not read or durably write its database. Like every {@link LogException}, a write that
 * throws this has left the log as it was before the call. The subclasses name the causes an operator can act on;
 * {@link #isPermanent()} says whether the log has stopped for good (fail-stop, until the node restarts).
 */
public class SqliteLogException extends LogException {

    public SqliteLogException(String message) {
        super(message);
    }

    public SqliteLogException(String message, Throwable cause) {
        super(message, cause);
    }

    public SqliteLogException(String message, Throwable cause, boolean permanent) {
        super(message, cause, permanent);
    }
}
