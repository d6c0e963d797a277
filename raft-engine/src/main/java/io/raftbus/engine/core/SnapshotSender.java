package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * The leader's side of snapshot transfer (Raft §7): a follower whose next needed entry the log no longer holds is
 * sent the store's latest snapshot in chunks of {@link RaftConfig#snapshotChunkBytes()}, read from the store on
 * demand, with at most {@link RaftConfig#maxInflightSnapshotChunks()} unacknowledged (never the whole snapshot in
 * memory); until the follower answers that it stored some, one chunk at a time (a follower that is down gets no more than a probe's
 * worth). Acknowledged offsets move the window; without progress for {@value Leader#LOST_AFTER_HEARTBEATS}
 * heartbeats the chunks are sent again from the acknowledged offset, one chunk until it answers. A snapshot the store no longer retains, or an
 * answer that the follower holds none of it, starts the transfer over with the latest. Once the follower answers
 * that it installed it, its match index is the one it reports and probing resumes from there. A transfer of a
 * snapshot the log has since been compacted past (a newer one was taken while the follower was silent) is replaced by
 * the latest before sending more: installed, it would leave the follower needing a second. A transfer whose
 * follower acknowledged more of it (or, heard from shortly before, started it) within
 * {@value #STALLED_AFTER_ELECTION_TIMEOUTS} maximal election timeouts is live ({@link #anyLive}): the leader takes
 * no new snapshot meanwhile (see {@link SnapshotPolicy}).
 */
final class SnapshotSender {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);
    /**
     * A transfer with no new bytes acknowledged for this many maximal election timeouts is stalled (the follower is
     * down or cut off): several, not one, so that a link slower than an election timeout per round trip still
     * counts as live.
     */
    static final int STALLED_AFTER_ELECTION_TIMEOUTS = 4;

    private final CoreParts parts;
    private final LeaderState state;
    private final SnapshotStore store;
    private final RaftConfig config;

    SnapshotSender(CoreParts parts, LeaderState state) {
        this.parts = parts;
        this.state = state;
        this.store = parts.snapshots();
        this.config = parts.config();
    }

    /** Whether {@code pr} needs entries the log no longer holds (only a snapshot can bring it up to date). */
    boolean needsSnapshot(FollowerProgress pr) {
        return pr.next <= parts.log().snapshotIndex();
    }

    /**
     * Whether a transfer to some follower is live: the follower acknowledged more of it within
     * {@value #STALLED_AFTER_ELECTION_TIMEOUTS} maximal election timeouts, or it started within them and the follower
     * had been heard from within an election timeout before (a slow link's first round trip).
     */
    boolean anyLive(long now) {
        long window = STALLED_AFTER_ELECTION_TIMEOUTS * config.electionTimeoutMaxMs();
        for (FollowerProgress pr : state.followers()) {
            if (pr.state == FollowerProgress.State.SNAPSHOT && pr.snapshot.live(now, window)) {
                return true;
            }
        }
        return false;
    }

    /** Starts sending the latest snapshot to {@code pr}, and sends the first chunks. */
    void start(FollowerProgress pr, long now) {
        Optional<SnapshotInfo> latest = store == null ? Optional.empty() : store.latest();
        if (latest.isEmpty() || latest.get().index() < parts.log().snapshotIndex()) {
            throw new IllegalStateException("node " + parts.nodeId() + ": the log is compacted through index "
                    + parts.log().snapshotIndex() + " but the snapshot store holds "
                    + latest.map(s -> "only index " + s.index()).orElse("no snapshot")
                    + "; follower " + pr.id + " cannot be brought up to date");
        }
        LOG.debug("{}: {} needs index {}, compacted away; sending snapshot {}@{} ({} bytes)", parts.nodeId(), pr.id,
                pr.next, latest.get().index(), latest.get().term(), latest.get().sizeBytes());
        pr.becomeSnapshot(new SnapshotTransfer(latest.get(), now, pr.heardWithin(now, config.electionTimeoutMaxMs())));
        sendChunks(pr, now);
    }

    /** Sends chunks while the window allows. */
    void sendChunks(FollowerProgress pr, long now) {
        SnapshotTransfer t = pr.snapshot;
        if (t.snapshot.index() < parts.log().snapshotIndex()) {
            // the log was compacted past it (a newer snapshot was taken while its follower was silent): once
            // installed, the follower would need entries the log no longer holds, and a second snapshot
            LOG.debug("{}: the log no longer holds the entries after snapshot {}@{}; sending {} the latest instead",
                    parts.nodeId(), t.snapshot.index(), t.snapshot.term(), pr.id);
            start(pr, now);
            return;
        }
        int chunkBytes = config.snapshotChunkBytes();
        long total = t.snapshot.sizeBytes();
        int window = t.answered ? config.maxInflightSnapshotChunks() : 1;
        while (!t.doneSent && t.inflightChunks(chunkBytes) < window) {
            byte[] data;
            try {
                data = store.read(t.snapshot, t.sentOffset, chunkBytes);
            } catch (NoSuchFileException gone) {
                if (store.latest().map(t.snapshot::equals).orElse(true)) {
                    LOG.warn("{}: the store's latest snapshot {}@{} cannot be read for {}; trying again later",
                            parts.nodeId(), t.snapshot.index(), t.snapshot.term(), pr.id, gone);
                    return;
                }
                LOG.debug("{}: snapshot {}@{} is no longer retained; sending {} the latest instead", parts.nodeId(),
                        t.snapshot.index(), t.snapshot.term(), pr.id);
                start(pr, now);
                return;
            } catch (IOException e) {
                LOG.warn("{}: cannot read snapshot {}@{} at offset {} for {}; trying again later", parts.nodeId(),
                        t.snapshot.index(), t.snapshot.term(), t.sentOffset, pr.id, e);
                return;
            }
            if (data.length == 0 && t.sentOffset < total) {
                LOG.warn("{}: snapshot {}@{} read short at offset {} of {}; trying again later", parts.nodeId(),
                        t.snapshot.index(), t.snapshot.term(), t.sentOffset, total);
                return;
            }
            boolean done = t.sentOffset + data.length >= total;
            parts.outbox().send(parts.messages().installSnapshot(pr.id, t.snapshot, t.sentOffset, data, done,
                    state.readRound()));
            t.sentOffset += data.length;
            t.doneSent = done;
        }
    }

    /** A follower's answer of this term about a snapshot chunk (the caller checked the term and the follower). */
    void onResponse(FollowerProgress pr, InstallSnapshotResponse r, long now) {
        if (r.installed()) {
            boolean current = pr.state == FollowerProgress.State.SNAPSHOT
                    && pr.snapshot.isFor(r.snapshotIndex(), r.snapshotTerm(), r.checksum());
            if (r.matchIndex() > parts.log().lastIndex()) {
                LOG.warn("{}: {} reports a snapshot installed up to {} beyond the leader's last index {}; ignoring",
                        parts.nodeId(), r.from(), r.matchIndex(), parts.log().lastIndex());
                return;
            }
            boolean advanced = pr.updateMatch(r.matchIndex());
            if (current || (advanced && pr.state == FollowerProgress.State.SNAPSHOT)) {
                LOG.debug("{}: {} installed snapshot {}@{}; its log matches up to {}", parts.nodeId(), pr.id,
                        r.snapshotIndex(), r.snapshotTerm(), pr.match);
                pr.becomeProbe(pr.match + 1);
            }
            return;
        }
        if (pr.state != FollowerProgress.State.SNAPSHOT
                || !pr.snapshot.isFor(r.snapshotIndex(), r.snapshotTerm(), r.checksum())) {
            return; // about a transfer that is over
        }
        SnapshotTransfer t = pr.snapshot;
        if (r.nextOffset() > 0) {
            t.answered = true; // it stores what it is sent: the window opens
        }
        if (r.nextOffset() == 0 && t.ackedOffset > 0) {
            // the follower lost what it held (it restarted, the checksum did not match, another transfer replaced
            // it). With nothing acknowledged yet, a 0 changes nothing: the first chunk may still be on its way, and
            // a follower that cannot store snapshots must not be answered at once, in a loop
            LOG.debug("{}: {} holds none of snapshot {}@{}; starting over", parts.nodeId(), pr.id,
                    t.snapshot.index(), t.snapshot.term());
            start(pr, now);
            return;
        }
        if (r.nextOffset() > t.ackedOffset && r.nextOffset() <= t.snapshot.sizeBytes()) {
            // the follower holds this snapshot's bytes up to there (perhaps more than sent since a restart)
            t.acknowledged(r.nextOffset(), now);
        }
        sendChunks(pr, now);
    }

    /**
     * On the heartbeat: a transfer without progress for {@value Leader#LOST_AFTER_HEARTBEATS} heartbeats (a chunk or
     * its answer was lost) is sent again from the acknowledged offset.
     */
    void onHeartbeat(FollowerProgress pr, long now) {
        SnapshotTransfer t = pr.snapshot;
        if (now - t.lastProgressAt >= Leader.LOST_AFTER_HEARTBEATS * config.heartbeatIntervalMs()) {
            LOG.debug("{}: no progress sending snapshot to {} for {} ms; resending from offset {}", parts.nodeId(),
                    pr.id, now - t.lastProgressAt, t.ackedOffset);
            t.rewind(now);
            sendChunks(pr, now);
        }
    }
}
