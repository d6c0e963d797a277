package io.raftbus.engine;

/**
 * A linearizable read ({@code RaftNode.read}) was not served: leadership changed before it could be confirmed, or
 * no answer came in time ({@link RaftConfig#forwardTimeoutMs()}, {@link RaftConfig#commandTimeoutMs()}). A read
 * changes nothing, so reading again is always safe.
 */
public class ReadNotServedException extends RetriableCommandException {

    public ReadNotServedException(String message) {
        super(message);
    }
}
