package io.raftbus.examples.kv;

/** A console command the cluster could not carry out; the message is shown to the user as is. */
final class ClusterException extends RuntimeException {

    ClusterException(String message) {
        super(message);
    }

    ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
