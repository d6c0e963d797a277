package io.raftbus.engine.core;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.SnapshotInfo;

import java.util.List;

/**
 * The effects the core produced since the last {@link RaftCore#ready()} call. {@link ReadyHandler} (used by the
 * runtime and the simulation alike) carries them out in this order: send {@code messages} (everything they depend on
 * is already durable), restore the state machine from {@code snapshotToRestore} if set, apply {@code committed} in
 * order and complete their waiters, fail {@code failures}, resolve
 * {@code lateAcceptances}, run {@code reads} (after {@code committed}: a read's index is applied by then) and
 * complete {@code readAnswers}, then (after {@code committed} is applied) start {@code snapshotToTake} if set. The
 * runtime tells listeners of a {@code statusChanged} after the whole Ready.
 *
 * @param messages messages to send, in order
 * @param committed newly committed entries to apply, in index order, each exactly once, with their waiters
 * @param failures proposals that failed
 * @param lateAcceptances forwarded proposals acknowledged after their entry was applied
 * @param statusChanged whether role, term or leader changed
 * @param reads linearizable reads confirmed on this leader, to run against the state machine
 * @param readAnswers the leader's answers to reads this node forwarded
 * @param snapshotToRestore a snapshot this node installed from its leader: the state machine's state must become
 *                          the snapshot's before {@code committed} (which continue after its index); null if none
 * @param snapshotToTake a snapshot to take once {@code committed} is applied; null if none
 */
public record Ready(List<RaftMessage> messages, CommittedEntries committed, List<ProposalFailure> failures,
                    List<LateAcceptance> lateAcceptances, boolean statusChanged, List<ReadyRead> reads,
                    List<ReadAnswer> readAnswers, SnapshotInfo snapshotToRestore, SnapshotRequest snapshotToTake) {

    /** Nothing to do. */
    public static final Ready EMPTY = new Ready(List.of(), CommittedEntries.NONE, List.of(), List.of(), false, List.of(),
            List.of());

    /** Without snapshot effects. */
    public Ready(List<RaftMessage> messages, CommittedEntries committed, List<ProposalFailure> failures,
                 List<LateAcceptance> lateAcceptances, boolean statusChanged, List<ReadyRead> reads,
                 List<ReadAnswer> readAnswers) {
        this(messages, committed, failures, lateAcceptances, statusChanged, reads, readAnswers, null, null);
    }

    public Ready {
        messages = List.copyOf(messages);
        committed = committed == null ? CommittedEntries.NONE : committed; // a range: not copied
        failures = List.copyOf(failures);
        lateAcceptances = List.copyOf(lateAcceptances);
        reads = List.copyOf(reads);
        readAnswers = List.copyOf(readAnswers);
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return messages.isEmpty() && committed.isEmpty() && failures.isEmpty() && lateAcceptances.isEmpty()
                && !statusChanged && reads.isEmpty() && readAnswers.isEmpty() && snapshotToRestore == null
                && snapshotToTake == null;
    }
}
