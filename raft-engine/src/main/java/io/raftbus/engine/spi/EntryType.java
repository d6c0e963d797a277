package io.raftbus.engine.spi;

/** What a log entry holds. */
public enum EntryType {
    /** A client command for the state machine. */
    COMMAND,
    /** The empty entry a new leader appends at the start of its term (Raft §5.4.2, §8). */
    NOOP,
    /** A membership configuration (payload: {@link MembershipCodec#encode}), in force on a node once appended. */
    CONFIG
}
