package io.raftbus.engine.message;

/**
 * A one-way Raft message. Every message names its cluster, sender, receiver and the sender's term; a response is a
 * separate message carrying what its receiver needs to match it. Nothing waits for a reply: a lost, duplicated,
 * reordered or very late message is normal and must be harmless.
 */
public sealed interface RaftMessage
        permits PreVoteRequest, PreVoteResponse, VoteRequest, VoteResponse,
                AppendEntriesRequest, AppendEntriesResponse, InstallSnapshotRequest, InstallSnapshotResponse,
                CommandRequest, CommandResponse, TimeoutNow {

    /** The cluster this message belongs to; a node drops (and counts) messages for another cluster. */
    String clusterId();

    /** The sending node (or client) id. */
    String from();

    /** The receiving node id. */
    String to();

    /** The sender's current term (for a PreVoteRequest: the term the sender would campaign in). */
    long term();
}
