package io.raftbus.engine;

/** The command is larger than {@link RaftConfig#maxCommandBytes()} (or than the transport can carry). */
public class CommandTooLargeException extends RaftException {

    public CommandTooLargeException(String message) {
        super(message);
    }
}
