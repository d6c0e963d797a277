package io.raftbus.engine.core;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotAppendedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.message.CommandResponse;

/**
 * The error texts of a REJECTED {@link CommandResponse}: a leader starts each with a prefix naming the cause, and
 * the member that forwarded the command turns it back into the matching exception, so "certainly not applied"
 * (retriable) and "outcome unknown" stay apart across the hop.
 */
final class CommandRejections {

    /** Refused for backpressure: certainly not applied. */
    static final String BACKPRESSURE = "backpressure: ";
    /** Refused because the command is too large: certainly not applied. */
    static final String TOO_LARGE = "command too large: ";
    /** Accepted but certainly not appended. */
    static final String NOT_APPENDED = "not appended: ";
    /** The append may or may not be durable: the outcome is unknown. */
    static final String OUTCOME_UNKNOWN = "outcome unknown: ";
    /** The entry was replaced before it committed: certainly not applied. */
    static final String NOT_COMMITTED = "not committed: the entry was replaced by another leader's; safe to retry";

    private CommandRejections() {
    }

    /** The exception a forwarded command fails with when the leader's answer is REJECTED {@code r}. */
    static RaftException toException(CommandResponse r) {
        String error = r.error() == null ? "no reason given" : r.error();
        String text = "leader " + r.from() + " rejected the command: " + error;
        if (error.startsWith(BACKPRESSURE)) {
            return new BackpressureException(text);
        }
        if (error.startsWith(TOO_LARGE)) {
            return new CommandTooLargeException(text);
        }
        if (error.startsWith(NOT_APPENDED)) {
            return new CommandNotAppendedException(text);
        }
        if (error.startsWith(OUTCOME_UNKNOWN)) {
            return new CommandOutcomeUnknownException(text);
        }
        return new RaftException(text);
    }
}
