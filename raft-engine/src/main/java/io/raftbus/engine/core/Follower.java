package io.raftbus.engine.core;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.spi.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The follower role's side of replication: the current leader's AppendEntries is checked against this log (the
 * log-matching check at its previous index), a conflicting suffix is truncated (never a committed entry), the new
 * entries are appended durably, and the commit index follows the leader's as far as this log is known to match. A
 * rejection carries a hint (the conflicting term and its first index here) so the leader skips a term per round
 * trip. A request after an index below the log's compacted prefix is answered as matching up to the commit index
 * (everything compacted is committed). Stateless: what it changes is the log and the commit index.
 */
final class Follower {

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);

    private final CoreParts parts;
    private final LogView log;

    Follower(CoreParts parts) {
        this.parts = parts;
        this.log = parts.log();
    }

    /** An AppendEntries of the current term from the leader this node follows; answers it. */
    void onAppendEntries(AppendEntriesRequest req) {
        long commitIndex = parts.commits().commitIndex();
        long prev = req.prevLogIndex();
        if (prev < log.snapshotIndex()) {
            // its term is compacted away here; entries up to the commit index are committed, so they match the
            // leader's: the leader resumes after them
            parts.outbox().send(parts.messages().appendAccepted(req.from(), commitIndex, log.lastIndex(),
                    req.readSeq()));
            return;
        }
        if (prev > log.lastIndex()) {
            parts.outbox().send(reject(req, 0, log.lastIndex() + 1));
            return;
        }
        long termAtPrev = log.termAt(prev);
        if (termAtPrev != req.prevLogTerm()) {
            if (prev <= commitIndex) {
                LOG.error("{}: committed entry {} has term {} but leader {} says {}", parts.nodeId(), prev, termAtPrev,
                        req.from(), req.prevLogTerm());
            }
            // entries up to the commit index match the leader's, so the search need not look below it
            long firstOfTerm = log.firstIndexOfTerm(termAtPrev, prev, Math.min(commitIndex + 1, prev));
            parts.outbox().send(reject(req, termAtPrev, firstOfTerm));
            return;
        }

        List<LogEntry> entries = req.entries();
        int firstNew = 0;
        long conflictAt = 0;
        for (LogEntry e : entries) {
            if (e.index() > log.lastIndex()) {
                break;
            }
            if (log.termAt(e.index()) != e.term()) {
                conflictAt = e.index();
                break;
            }
            firstNew++;
        }
        if (conflictAt > 0) {
            if (conflictAt <= commitIndex) {
                throw new IllegalStateException("node " + parts.nodeId() + ": leader " + req.from() + " of term "
                        + req.term() + " sent entry " + entries.get(firstNew) + " conflicting with committed entry "
                        + conflictAt + "@" + log.termAt(conflictAt) + " (commit index " + commitIndex
                        + "); refusing to truncate committed entries: this is a Raft safety violation");
            }
            LOG.debug("{}: truncating log from {} (was last {}), conflicting with leader {}", parts.nodeId(),
                    conflictAt, log.lastIndex(), req.from());
            log.truncateFrom(conflictAt);
            // proposals waiting for a truncated entry keep waiting: another node may still hold that entry and
            // commit it (Figure 8). Whatever commits at their index decides (CommitTracker.handOut), so they get a
            // definite answer, "committed" or "not committed", once the new leader commits, not "outcome unknown".
        }
        if (firstNew < entries.size()) {
            log.append(entries.subList(firstNew, entries.size()));
        }
        long matchIndex = req.lastIndex();
        parts.commits().advanceTo(Math.min(req.leaderCommit(), matchIndex));
        parts.outbox().send(parts.messages().appendAccepted(req.from(), matchIndex, log.lastIndex(), req.readSeq()));
    }

    private AppendEntriesResponse reject(AppendEntriesRequest req, long conflictTerm, long conflictIndex) {
        return parts.messages().appendRejected(req.from(), req.prevLogIndex(), conflictTerm, conflictIndex,
                log.lastIndex(), req.readSeq());
    }
}
