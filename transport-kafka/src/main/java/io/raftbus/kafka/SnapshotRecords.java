package io.raftbus.kafka;

import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.spi.Membership;
import io.raftbus.kafka.avro.InstallSnapshotRequestRecord;
import io.raftbus.kafka.avro.InstallSnapshotResponseRecord;
import io.raftbus.kafka.avro.MembershipRecord;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps the InstallSnapshot messages (envelope version 5) to and from their Avro records. Decoding refuses what no
 * leader sends, with an {@link IllegalArgumentException} (the codec's {@code invalid-message}): a snapshot index or
 * term below 1, a negative size or offset, a chunk reaching past the snapshot's end, a last chunk that does not
 * end it, a membership without voters or with a member both voter and learner, a negative offset or match index in
 * an answer.
 */
final class SnapshotRecords {

    private SnapshotRecords() {
    }

    static InstallSnapshotRequestRecord toRecord(InstallSnapshotRequest m) {
        MembershipRecord membership = new MembershipRecord(List.copyOf(new TreeSet<>(m.membership().voters())),
                List.copyOf(new TreeSet<>(m.membership().learners())));
        return new InstallSnapshotRequestRecord(m.term(), m.snapshotIndex(), m.snapshotTerm(), membership,
                m.totalBytes(), m.checksum(), m.offset(), ByteBuffer.wrap(m.data()), m.done(), m.readSeq());
    }

    static InstallSnapshotResponseRecord toRecord(InstallSnapshotResponse m) {
        return new InstallSnapshotResponseRecord(m.term(), m.snapshotIndex(), m.snapshotTerm(), m.checksum(),
                m.nextOffset(), m.installed(), m.matchIndex(), m.readSeq());
    }

    static InstallSnapshotRequest toMessage(String cluster, String from, String to, InstallSnapshotRequestRecord r,
                                            byte[] data) {
        require(r.getSnapshotIndex() >= 1 && r.getSnapshotTerm() >= 1, "snapshot " + r.getSnapshotIndex() + "@"
                + r.getSnapshotTerm() + " (index and term start at 1)");
        require(r.getTotalBytes() >= 0 && r.getOffset() >= 0, "size " + r.getTotalBytes() + ", offset "
                + r.getOffset());
        require(r.getOffset() <= r.getTotalBytes() - data.length, "chunk " + r.getOffset() + "+" + data.length
                + " reaches past the snapshot's " + r.getTotalBytes() + " bytes");
        require(!r.getDone() || r.getOffset() + data.length == r.getTotalBytes(), "last chunk ends at "
                + (r.getOffset() + data.length) + ", not at the snapshot's " + r.getTotalBytes() + " bytes");
        Membership membership = new Membership(Set.copyOf(r.getMembership().getVoters()),
                Set.copyOf(r.getMembership().getLearners()));
        return new InstallSnapshotRequest(cluster, from, to, r.getTerm(), r.getSnapshotIndex(), r.getSnapshotTerm(),
                membership, r.getTotalBytes(), r.getChecksum(), r.getOffset(), data, r.getDone(), r.getReadSeq());
    }

    static InstallSnapshotResponse toMessage(String cluster, String from, String to, InstallSnapshotResponseRecord r) {
        require(r.getNextOffset() >= 0 && r.getMatchIndex() >= 0, "next offset " + r.getNextOffset()
                + ", match index " + r.getMatchIndex());
        return new InstallSnapshotResponse(cluster, from, to, r.getTerm(), r.getSnapshotIndex(), r.getSnapshotTerm(),
                r.getChecksum(), r.getNextOffset(), r.getInstalled(), r.getMatchIndex(), r.getReadSeq());
    }

    private static void require(boolean valid, String what) {
        if (!valid) {
            throw new IllegalArgumentException("invalid InstallSnapshot message: " + what);
        }
    }
}
