package io.raftbus.engine.core;

import io.raftbus.engine.message.RaftMessage;

import java.util.List;

/**
 * The effects the core produced since the last {@link RaftCore#ready()} call. The runtime handles them in this
 * order: send {@code messages} (everything they depend on is already durable), apply {@code committed} in order and
 * complete their waiters, fail {@code failures}, resolve {@code lateAcceptances}, then notify listeners if
 * {@code statusChanged}.
 *
 * @param messages messages to send, in order
 * @param committed newly committed entries to apply, in index order, each exactly once
 * @param failures proposals that failed
 * @param lateAcceptances forwarded proposals acknowledged after their entry was applied
 * @param statusChanged whether role, term or leader changed
 */
public record Ready(List<RaftMessage> messages, List<CommittedEntry> committed, List<ProposalFailure> failures,
                    List<LateAcceptance> lateAcceptances, boolean statusChanged) {

    /** Nothing to do. */
    public static final Ready EMPTY = new Ready(List.of(), List.of(), List.of(), List.of(), false);

    public Ready {
        messages = List.copyOf(messages);
        committed = List.copyOf(committed);
        failures = List.copyOf(failures);
        lateAcceptances = List.copyOf(lateAcceptances);
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return messages.isEmpty() && committed.isEmpty() && failures.isEmpty() && lateAcceptances.isEmpty()
                && !statusChanged;
    }
}
