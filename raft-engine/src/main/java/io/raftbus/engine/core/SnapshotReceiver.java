package io.raftbus.engine.core;

import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * The follower's side of snapshot transfer: the chunks of the current leader's snapshot are written in order into
 * one {@link SnapshotWriter} of the store; a chunk at another offset is answered with the offset expected. On the
 * last chunk the size and CRC32C are checked (a mismatch discards it all: the leader starts over), the snapshot is
 * committed to the store, and only then is the log reset to it, the commit index raised to its index and the
 * snapshot handed to the host to restore. A snapshot at or below the commit index is not installed (the log already
 * holds or has applied as much). A chunk for another snapshot than the one being received is dropped and counted
 * ({@code "foreign-snapshot-chunk"}) unless it starts a newer one at offset 0; a chunk of another leader's term
 * aborts what was being received. Every chunk is answered.
 */
final class SnapshotReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final CoreParts parts;
    private final SnapshotPolicy policy;
    private final InboundFilter inbound;

    /** The snapshot being received: its first chunk (its identity), the leader's term, the writer; null if none. */
    private InstallSnapshotRequest receiving;
    private SnapshotWriter writer;
    private final CRC32C crc = new CRC32C();
    private long expectedOffset;

    SnapshotReceiver(CoreParts parts, SnapshotPolicy policy, InboundFilter inbound) {
        this.parts = parts;
        this.policy = policy;
        this.inbound = inbound;
    }

    /**
     * A chunk of the current term from the leader this node follows: stores it, answers it, and returns the
     * snapshot if this chunk completed and installed it (the host restores it), else null.
     */
    SnapshotInfo onChunk(InstallSnapshotRequest req) {
        SnapshotStore store = parts.snapshots();
        long commitIndex = parts.commits().commitIndex();
        if (store == null) {
            inbound.count("no-snapshot-store", req);
            answer(req, 0, false, 0);
            return null;
        }
        if (req.snapshotIndex() <= commitIndex) {
            if (receiving != null && receiving.snapshotIndex() <= commitIndex) {
                abort();
            }
            answer(req, req.endOffset(), true, commitIndex); // the log continues at the commit index already
            return null;
        }
        if (receiving != null && !continues(req)) {
            boolean newer = req.offset() == 0 && (req.term() > receiving.term()
                    || req.snapshotIndex() >= receiving.snapshotIndex());
            if (!newer) {
                inbound.count("foreign-snapshot-chunk", req);
                answer(req, 0, false, 0);
                return null;
            }
            abort();
        }
        if (receiving == null) {
            if (req.offset() != 0) {
                inbound.count("foreign-snapshot-chunk", req);
                answer(req, 0, false, 0);
                return null;
            }
            try {
                writer = store.create(req.snapshotIndex(), req.snapshotTerm(), req.membership());
            } catch (IOException e) {
                LOG.warn("{}: cannot start writing snapshot {}@{} from {}", parts.nodeId(), req.snapshotIndex(),
                        req.snapshotTerm(), req.from(), e);
                answer(req, 0, false, 0);
                return null;
            }
            receiving = req;
            crc.reset();
            expectedOffset = 0;
        }
        if (req.offset() != expectedOffset) {
            answer(req, expectedOffset, false, 0); // a duplicate, or one after a lost chunk
            return null;
        }
        try {
            writer.stream().write(req.data());
        } catch (IOException e) {
            LOG.warn("{}: cannot write snapshot {}@{} at offset {}; discarding it", parts.nodeId(),
                    req.snapshotIndex(), req.snapshotTerm(), req.offset(), e);
            abort();
            answer(req, 0, false, 0);
            return null;
        }
        crc.update(req.data());
        expectedOffset = req.endOffset();
        if (!req.done()) {
            answer(req, expectedOffset, false, 0);
            return null;
        }
        return finish(req);
    }

    /** The last chunk is written: checks, commits to the store, then resets the log to the snapshot. */
    private SnapshotInfo finish(InstallSnapshotRequest req) {
        if (expectedOffset != req.totalBytes() || crc.getValue() != req.checksum()) {
            LOG.warn("{}: snapshot {}@{} from {} does not check: {} bytes with CRC32C {}, expected {} with {};"
                            + " discarding it", parts.nodeId(), req.snapshotIndex(), req.snapshotTerm(), req.from(),
                    expectedOffset, Long.toHexString(crc.getValue()), req.totalBytes(),
                    Long.toHexString(req.checksum()));
            abort();
            answer(req, 0, false, 0);
            return null;
        }
        SnapshotInfo info;
        try {
            info = writer.commit();
        } catch (IOException e) {
            LOG.warn("{}: cannot commit snapshot {}@{}; discarding it", parts.nodeId(), req.snapshotIndex(),
                    req.snapshotTerm(), e);
            abort();
            answer(req, 0, false, 0);
            return null;
        }
        writer = null;
        receiving = null;
        // durable in the store: now the log may continue after it
        parts.log().installSnapshot(info.meta(), info.membership());
        int covered = parts.commits().jumpTo(info.index(), info.term(), req.from());
        policy.installed(info.index());
        LOG.info("{}: installed snapshot {}@{} ({} bytes) from {}; {} waiting proposals covered", parts.nodeId(),
                info.index(), info.term(), info.sizeBytes(), req.from(), covered);
        answer(req, req.totalBytes(), true, info.index());
        return info;
    }

    /** Whether {@code req} belongs to the snapshot being received, from the same leader's term. */
    private boolean continues(InstallSnapshotRequest req) {
        return req.term() == receiving.term() && req.snapshotIndex() == receiving.snapshotIndex()
                && req.snapshotTerm() == receiving.snapshotTerm() && req.totalBytes() == receiving.totalBytes()
                && req.checksum() == receiving.checksum();
    }

    /** Discards the snapshot being received, if any (a new leader or term, or this node campaigns or leads). */
    void abort() {
        if (writer != null) {
            writer.abort();
        }
        writer = null;
        receiving = null;
        expectedOffset = 0;
    }

    private void answer(InstallSnapshotRequest req, long nextOffset, boolean installed, long matchIndex) {
        parts.outbox().send(parts.messages().installSnapshotResponse(req.from(), req, nextOffset, installed,
                matchIndex, req.readSeq()));
    }
}
