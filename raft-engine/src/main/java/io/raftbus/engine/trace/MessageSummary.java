package io.raftbus.engine.trace;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;

/**
 * One short line per {@link RaftMessage} for traces: its kind, term and the fields that decide what the receiver
 * does (never payload bytes), without sender and receiver, which the trace shows by position.
 */
public final class MessageSummary {

    private MessageSummary() {
    }

    /** For example {@code AppendEntries t2 prev=3/1 +2 commit=3} or {@code VoteResp t3 granted}. */
    public static String of(RaftMessage m) {
        if (m instanceof AppendEntriesRequest a) {
            return "AppendEntries t" + a.term() + " prev=" + a.prevLogIndex() + "/" + a.prevLogTerm()
                    + (a.entries().isEmpty() ? "" : " +" + a.entries().size()) + " commit=" + a.leaderCommit();
        }
        if (m instanceof AppendEntriesResponse a) {
            return "AppendResp t" + a.term() + (a.success() ? " ok match=" + a.matchIndex()
                    : " reject " + a.rejectedIndex() + " last=" + a.lastLogIndex());
        }
        if (m instanceof VoteRequest v) {
            return "VoteReq t" + v.term() + " last=" + v.lastLogIndex() + "/" + v.lastLogTerm()
                    + (v.leadershipTransfer() ? " transfer" : "");
        }
        if (m instanceof VoteResponse v) {
            return "VoteResp t" + v.term() + (v.granted() ? " granted" : " denied");
        }
        if (m instanceof PreVoteRequest p) {
            return "PreVoteReq t" + p.term() + " last=" + p.lastLogIndex() + "/" + p.lastLogTerm();
        }
        if (m instanceof PreVoteResponse p) {
            return "PreVoteResp t" + p.term() + (p.granted() ? " granted" : " denied");
        }
        if (m instanceof TimeoutNow t) {
            return "TimeoutNow t" + t.term();
        }
        if (m instanceof CommandRequest c) {
            return (c.read() ? "ReadReq #" : "CommandReq #") + c.requestId() + " t" + c.term();
        }
        if (m instanceof CommandResponse c) {
            return "CommandResp #" + c.requestId() + " " + c.status()
                    + (c.index() > 0 ? " idx=" + c.index() : "");
        }
        if (m instanceof InstallSnapshotRequest s) {
            return "InstallSnapshot t" + s.term() + " snap=" + s.snapshotIndex() + "/" + s.snapshotTerm() + " off="
                    + s.offset() + " " + (s.data() == null ? 0 : s.data().length) + "B" + (s.done() ? " done" : "");
        }
        if (m instanceof InstallSnapshotResponse s) {
            return "InstallSnapshotResp t" + s.term() + " snap=" + s.snapshotIndex() + "/" + s.snapshotTerm()
                    + (s.installed() ? " installed match=" + s.matchIndex() : " next=" + s.nextOffset());
        }
        return m.getClass().getSimpleName() + " t" + m.term();
    }
}
