package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;

import java.util.List;

/**
 * Internal: carries out a node's {@link Ready}, the one implementation shared by the node runtime and the
 * deterministic simulation, so the simulation checks what the runtime really does. It owns the order of the effects
 * (messages, a snapshot to restore, then committed entries in index order with their waiters, failures, late acceptances, confirmed reads,
 * read answers, a snapshot to take), the answers to remote waiters (APPLIED, or REJECTED when a query throws), the results of recently
 * applied commands for late acceptances ({@link RecentResults}), and a check that a confirmed read's index is
 * applied before its query runs. Everything that touches the outside goes through the host's {@link ReadyEffects}.
 * One per node incarnation; not thread-safe (the node's event loop, or the simulation, calls it).
 */
public final class ReadyHandler {

    private static final byte[] NO_RESULT = new byte[0];

    private final String nodeId;
    private final String clusterId;
    private final ReadyEffects effects;
    private final RecentResults recentResults;
    private long lastApplied;

    /**
     * @param config sizes the memory of recent results (at least 1,024, at least {@code maxPendingCommands})
     * @param lastApplied the index the state machine has applied when the node starts (as given to the core)
     */
    public ReadyHandler(String nodeId, String clusterId, RaftConfig config, long lastApplied, ReadyEffects effects) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.effects = effects;
        this.recentResults = new RecentResults(Math.max(1024, config.maxPendingCommands()));
        this.lastApplied = lastApplied;
    }

    /**
     * Carries out every effect of {@code ready}, in order. An exception from the host's effects propagates. The lists
     * are walked by index (no iterator per list, no object per committed entry or per entry's waiters).
     */
    public void handle(Ready ready) {
        List<RaftMessage> messages = ready.messages();
        for (int i = 0; i < messages.size(); i++) {
            effects.send(messages.get(i));
        }
        if (ready.snapshotToRestore() != null) {
            effects.restoreSnapshot(ready.snapshotToRestore());
            lastApplied = ready.snapshotToRestore().index();
        }
        CommittedEntries committed = ready.committed();
        for (int i = 0; i < committed.size(); i++) {
            apply(committed, i);
        }
        List<ProposalFailure> failures = ready.failures();
        for (int i = 0; i < failures.size(); i++) {
            effects.fail(failures.get(i).proposalId(), failures.get(i).cause());
        }
        List<LateAcceptance> lateAcceptances = ready.lateAcceptances();
        for (int i = 0; i < lateAcceptances.size(); i++) {
            resolve(lateAcceptances.get(i));
        }
        List<ReadyRead> reads = ready.reads();
        for (int i = 0; i < reads.size(); i++) {
            serve(reads.get(i));
        }
        List<ReadAnswer> readAnswers = ready.readAnswers();
        for (int i = 0; i < readAnswers.size(); i++) {
            ReadAnswer answer = readAnswers.get(i);
            effects.completeRead(answer.proposalId(), answer.readIndex(),
                    answer.result() == null ? NO_RESULT : answer.result());
        }
        if (ready.snapshotToTake() != null) {
            if (ready.snapshotToTake().index() != lastApplied) {
                throw new IllegalStateException("node " + nodeId + " was asked for a snapshot at index "
                        + ready.snapshotToTake().index() + " but has applied up to " + lastApplied);
            }
            effects.takeSnapshot(ready.snapshotToTake());
        }
    }

    private void apply(CommittedEntries committed, int i) {
        LogEntry entry = committed.entry(i);
        byte[] result = effects.apply(entry);
        lastApplied = entry.index();
        if (entry.type() == EntryType.COMMAND) {
            if (result == null) {
                result = NO_RESULT;
            }
            recentResults.put(entry.index(), result);
        } else {
            result = NO_RESULT;
        }
        int waiters = committed.waiterCount(i);
        for (int k = 0; k < waiters; k++) {
            Waiter waiter = committed.waiter(i, k);
            if (waiter instanceof Waiter.Local local) {
                effects.completeCommand(local.proposalId(), entry.index(), result);
            } else if (waiter instanceof Waiter.Remote remote) {
                effects.send(new CommandResponse(clusterId, nodeId, remote.clientId(), effects.term(),
                        remote.requestId(), CommandResponse.Status.APPLIED, entry.index(), entry.term(), nodeId,
                        result, null));
            }
        }
    }

    /**
     * A command applied before its waiter turned up: a local proposal completes with the recorded result, an external
     * client gets APPLIED with it. If the result is no longer retained, the local proposal fails with
     * {@link CommandOutcomeUnknownException} naming the index it WAS applied at, and the client gets APPLIED with no
     * result and an error saying so (never a retriable answer: the command was applied).
     */
    private void resolve(LateAcceptance late) {
        byte[] result = recentResults.get(late.index());
        String lost = "node " + nodeId + ": the command was applied at index " + late.index()
                + " but its result is no longer retained";
        if (late.waiter() instanceof Waiter.Local local) {
            if (result != null) {
                effects.completeCommand(local.proposalId(), late.index(), result);
            } else {
                effects.fail(local.proposalId(), new CommandOutcomeUnknownException(lost));
            }
        } else if (late.waiter() instanceof Waiter.Remote remote) {
            effects.send(new CommandResponse(clusterId, nodeId, remote.clientId(), effects.term(), remote.requestId(),
                    CommandResponse.Status.APPLIED, late.index(), 0, nodeId, result == null ? NO_RESULT : result,
                    result == null ? lost : null));
        }
    }

    /**
     * Runs a confirmed read's query, once its read index is applied (the core hands it out only then: anything else is
     * a bug, and fatal). A query that throws fails that read only (it changed nothing).
     */
    private void serve(ReadyRead read) {
        if (lastApplied < read.readIndex()) {
            throw new IllegalStateException("a read at index " + read.readIndex() + " was released on " + nodeId
                    + ", which has applied only " + lastApplied);
        }
        byte[] result;
        RuntimeException failure = null;
        try {
            result = effects.query(read.query());
        } catch (RuntimeException e) {
            result = null;
            failure = e;
        }
        byte[] answer = result == null ? NO_RESULT : result;
        String error = failure == null ? null : "the state machine's query failed: " + failure;
        if (read.waiter() instanceof Waiter.Local local) {
            if (failure == null) {
                effects.completeRead(local.proposalId(), read.readIndex(), answer);
            } else {
                effects.fail(local.proposalId(), new RaftException(error, failure));
            }
        } else if (read.waiter() instanceof Waiter.Remote remote) {
            effects.send(new CommandResponse(clusterId, nodeId, remote.clientId(), effects.term(), remote.requestId(),
                    failure == null ? CommandResponse.Status.APPLIED : CommandResponse.Status.REJECTED,
                    read.readIndex(), 0, nodeId, answer, error));
        }
    }
}
