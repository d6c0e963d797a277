package io.raftbus.engine.core;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotInfo;

import java.util.List;

/**
 * Builds the messages this node sends, by what they mean: each stamped with the cluster id, this node as sender and
 * (unless said otherwise) this node's current term, with the fields a message of that kind leaves unused set to 0
 * or null as the wire format expects.
 */
final class Messages {

    private static final byte[] NO_BYTES = new byte[0];

    private final String clusterId;
    private final String nodeId;
    private final TermAndVote termAndVote;

    Messages(String clusterId, String nodeId, TermAndVote termAndVote) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.termAndVote = termAndVote;
    }

    private long term() {
        return termAndVote.term();
    }

    // ---------------------------------------------------------------------------------------------- elections

    PreVoteRequest preVoteRequest(String to, long prospectiveTerm, long lastIndex, long lastTerm,
                                  long preCampaignNumber) {
        return new PreVoteRequest(clusterId, nodeId, to, prospectiveTerm, lastIndex, lastTerm, preCampaignNumber);
    }

    /** A pre-vote answer: granted in the request's prospective {@code term}, or refused in the current term. */
    PreVoteResponse preVoteResponse(String to, long term, boolean granted, long preCampaignNumber) {
        return new PreVoteResponse(clusterId, nodeId, to, term, granted, preCampaignNumber);
    }

    VoteRequest voteRequest(String to, long lastIndex, long lastTerm, boolean leadershipTransfer) {
        return new VoteRequest(clusterId, nodeId, to, term(), lastIndex, lastTerm, leadershipTransfer);
    }

    VoteResponse voteResponse(String to, boolean granted) {
        return new VoteResponse(clusterId, nodeId, to, term(), granted);
    }

    TimeoutNow timeoutNow(String to) {
        return new TimeoutNow(clusterId, nodeId, to, term());
    }

    // -------------------------------------------------------------------------------------------- replication

    /** AppendEntries after {@code prevIndex} (whose term is {@code prevTerm}); {@code entries} may be empty. */
    AppendEntriesRequest append(String to, long prevIndex, long prevTerm, List<LogEntry> entries, long commitIndex,
                                long readRound) {
        return new AppendEntriesRequest(clusterId, nodeId, to, term(), prevIndex, prevTerm, entries, commitIndex,
                readRound);
    }

    /** The entries are stored: this log matches the leader's up to {@code matchIndex}. */
    AppendEntriesResponse appendAccepted(String to, long matchIndex, long lastIndex, long readRound) {
        return new AppendEntriesResponse(clusterId, nodeId, to, term(), true, matchIndex, 0, 0, 0, lastIndex,
                readRound);
    }

    /** The log-matching check failed at {@code rejectedIndex}; resume from the conflict hint. */
    AppendEntriesResponse appendRejected(String to, long rejectedIndex, long conflictTerm, long conflictIndex,
                                         long lastIndex, long readRound) {
        return new AppendEntriesResponse(clusterId, nodeId, to, term(), false, 0, rejectedIndex, conflictTerm,
                conflictIndex, lastIndex, readRound);
    }

    /**
     * The request was of an earlier term: tells its sender the current term. No conflict hint and no read round
     * ({@link AppendEntriesResponse#answersEarlierTerm()}).
     */
    AppendEntriesResponse appendOfEarlierTerm(String to, long rejectedIndex, long lastIndex) {
        return new AppendEntriesResponse(clusterId, nodeId, to, term(), false, 0, rejectedIndex, 0, 0, lastIndex, 0);
    }

    // ------------------------------------------------------------------------------------------- snapshots

    /** A chunk of {@code snapshot}: {@code data} from {@code offset}; {@code done} if it ends the snapshot. */
    InstallSnapshotRequest installSnapshot(String to, SnapshotInfo snapshot, long offset, byte[] data, boolean done,
                                           long readRound) {
        return new InstallSnapshotRequest(clusterId, nodeId, to, term(), snapshot.index(), snapshot.term(),
                snapshot.membership(), snapshot.sizeBytes(), snapshot.checksum(), offset, data, done, readRound);
    }

    /** The answer to a chunk of {@code req}'s snapshot, in this node's current term. */
    InstallSnapshotResponse installSnapshotResponse(String to, InstallSnapshotRequest req, long nextOffset,
                                                    boolean installed, long matchIndex, long readRound) {
        return new InstallSnapshotResponse(clusterId, nodeId, to, term(), req.snapshotIndex(), req.snapshotTerm(),
                req.checksum(), nextOffset, installed, matchIndex, readRound);
    }

    // ---------------------------------------------------------------------------------------------- commands

    /** A follower's command or read, forwarded to {@code leader} as request {@code proposalId}. */
    CommandRequest forwardedProposal(String leader, long proposalId, byte[] bytes, boolean read) {
        return new CommandRequest(clusterId, nodeId, leader, term(), proposalId, bytes, read);
    }

    /** The command of request {@code requestId} is appended at ({@code index}, {@code entryTerm}). */
    CommandResponse commandAccepted(String to, long requestId, long index, long entryTerm, String leaderHint) {
        return new CommandResponse(clusterId, nodeId, to, term(), requestId, CommandResponse.Status.ACCEPTED, index,
                entryTerm, leaderHint, NO_BYTES, null);
    }

    /** Request {@code requestId} is refused ({@code status} NOT_LEADER or REJECTED), with no index. */
    CommandResponse commandRefused(String to, long requestId, CommandResponse.Status status, String leaderHint,
                                   String error) {
        return new CommandResponse(clusterId, nodeId, to, term(), requestId, status, 0, 0, leaderHint, NO_BYTES,
                error);
    }

    /** The command appended at ({@code index}, {@code entryTerm}) was replaced and will never commit. */
    CommandResponse commandNotCommitted(String to, long requestId, long index, long entryTerm, String leaderHint,
                                        String error) {
        return new CommandResponse(clusterId, nodeId, to, term(), requestId, CommandResponse.Status.REJECTED, index,
                entryTerm, leaderHint, NO_BYTES, error);
    }
}
