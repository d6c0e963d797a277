package io.raftbus.engine;

/** The node was closed (or is not started); pending commands fail with this. */
public class NodeClosedException extends RaftException {

    public NodeClosedException(String message) {
        super(message);
    }
}
