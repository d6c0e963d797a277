package io.raftbus.engine;

/** Base class of every exception raftbus throws or completes a future with. */
public class RaftException extends RuntimeException {

    public RaftException(String message) {
        super(message);
    }

    public RaftException(String message, Throwable cause) {
        super(message, cause);
    }
}
