package io.raftbus.examples.kv;

/** A command line or console line that cannot be understood; the message says what is wrong and what is expected. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
