package io.raftbus.kafka;

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
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.kafka.avro.AppendEntriesRequestRecord;
import io.raftbus.kafka.avro.AppendEntriesResponseRecord;
import io.raftbus.kafka.avro.CommandRequestRecord;
import io.raftbus.kafka.avro.CommandResponseRecord;
import io.raftbus.kafka.avro.CommandStatusRecord;
import io.raftbus.kafka.avro.EntryTypeRecord;
import io.raftbus.kafka.avro.Envelope;
import io.raftbus.kafka.avro.InstallSnapshotRequestRecord;
import io.raftbus.kafka.avro.InstallSnapshotResponseRecord;
import io.raftbus.kafka.avro.LogEntryRecord;
import io.raftbus.kafka.avro.PreVoteRequestRecord;
import io.raftbus.kafka.avro.PreVoteResponseRecord;
import io.raftbus.kafka.avro.TimeoutNowRecord;
import io.raftbus.kafka.avro.VoteRequestRecord;
import io.raftbus.kafka.avro.VoteResponseRecord;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one mapping between engine {@link RaftMessage}s and the Avro wire format: an {@link Envelope} (cluster id,
 * sender, receiver, the message) in Avro single-object encoding, i.e. a 2-byte marker, the 8-byte CRC-64-AVRO
 * fingerprint of the writer's schema, then the binary body. Internal (public for tools and tests): not an API.
 *
 * <p>Writes the current envelope version (5) or, during a rolling upgrade, the previous one (4, see
 * {@link #writing(int)}), which cannot carry the InstallSnapshot messages ({@link #carries}). Decoding resolves the
 * writer's schema by fingerprint in a {@link SchemaStore} holding the current and the previous envelope schema plus
 * any older versions passed to {@link #MessageCodec(Collection, LongSupplier)}, so a node reads what a node running
 * or writing an older, compatible schema wrote. Before materializing anything the body is walked against the writer's
 * schema without allocating, so hostile length prefixes (a "2 GiB" byte array in a 50-byte record) are rejected as
 * {@link MessageDecodeException.Category#MALFORMED} instead of being allocated.
 *
 * <p>Thread-safe.
 */
public final class MessageCodec {

    /** Single-object encoding marker (Avro specification, "Single-object encoding"). */
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_BYTES = 10;

    private final SchemaStore.Cache schemas = new SchemaStore.Cache();
    private final List<Schema> readable;
    private final int writeVersion;
    private final BinaryMessageEncoder<Envelope> encoder;
    private final BinaryMessageDecoder<Envelope> decoder;
    private final LongSupplier wallClockMillis;

    /** A codec that writes the current envelope version and reads the current and the previous one. */
    public MessageCodec() {
        this(List.of(), System::currentTimeMillis);
    }

    /**
     * A codec that writes the current envelope version, reads the current and the previous one, and also reads
     * records written with {@code olderEnvelopeSchemas} (earlier, compatible versions of
     * {@link Envelope#getClassSchema()}).
     *
     * @param wallClockMillis source of the envelope's diagnostic {@code sentAtMillis}
     */
    public MessageCodec(Collection<Schema> olderEnvelopeSchemas, LongSupplier wallClockMillis) {
        this(EnvelopeVersions.CURRENT, withCurrentAndPrevious(olderEnvelopeSchemas), wallClockMillis);
    }

    /**
     * A codec writing {@code writeVersion} that reads exactly {@code readable}. Package-private so that tests can
     * emulate a node running older code, whose schema store lacks the current version.
     */
    MessageCodec(int writeVersion, List<Schema> readable, LongSupplier wallClockMillis) {
        this.wallClockMillis = wallClockMillis;
        this.writeVersion = writeVersion;
        this.readable = List.copyOf(readable);
        SpecificData model = new SpecificData();
        for (Schema schema : this.readable) {
            schemas.addSchema(schema);
        }
        // the previous version's union is the current one's without its last branches, and its records are the
        // current ones field by field, so the generated classes write it too
        this.encoder = new BinaryMessageEncoder<>(model, EnvelopeVersions.schema(writeVersion));
        this.decoder = new BinaryMessageDecoder<>(model, Envelope.getClassSchema(), schemas);
    }

    /**
     * This codec, reading the same versions, but writing envelope {@code version}: 4 while some member still runs
     * code that reads only that, else 5.
     *
     * @throws IllegalArgumentException for another version
     */
    public MessageCodec writing(int version) {
        EnvelopeVersions.schema(version);
        return version == writeVersion ? this : new MessageCodec(version, readable, wallClockMillis);
    }

    /** The envelope version this codec writes. */
    public int writeVersion() {
        return writeVersion;
    }

    /**
     * Whether the envelope version this codec writes can carry {@code message}: the InstallSnapshot messages need
     * version 5.
     */
    public boolean carries(RaftMessage message) {
        return EnvelopeVersions.introducing(message) <= writeVersion;
    }

    /**
     * Encodes a message.
     *
     * @throws IllegalArgumentException if the message cannot be encoded (a required field is null, or the version
     *                                  written cannot carry it: see {@link #carries})
     */
    public byte[] encode(RaftMessage message) {
        if (message != null && !carries(message)) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " needs envelope version "
                    + EnvelopeVersions.introducing(message) + "; this codec writes version " + writeVersion);
        }
        Envelope envelope;
        try {
            envelope = Envelope.newBuilder()
                    .setClusterId(message.clusterId())
                    .setSender(message.from())
                    .setReceiver(message.to())
                    .setMessage(toRecord(message))
                    .setSentAtMillis(wallClockMillis.getAsLong())
                    .build();
            ByteBuffer buffer = encoder.encode(envelope);
            return toArray(buffer);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode " + message.getClass().getSimpleName() + " from "
                    + message.from() + " to " + message.to() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes bytes written by {@link #encode} (by this or an older compatible version).
     *
     * @throws MessageDecodeException with a {@link MessageDecodeException.Category} saying why the bytes were refused
     */
    public RaftMessage decode(byte[] bytes) throws MessageDecodeException {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new MessageDecodeException(MessageDecodeException.Category.NOT_AN_ENVELOPE,
                    "no Avro single-object header (got " + (bytes == null ? "null" : bytes.length + " bytes") + ")",
                    null);
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = schemas.findByFingerprint(fingerprint);
        if (writer == null) {
            throw new MessageDecodeException(MessageDecodeException.Category.UNKNOWN_SCHEMA,
                    "unknown writer schema fingerprint " + Long.toHexString(fingerprint)
                            + " (a newer or foreign schema; register older schemas with the codec)", null);
        }
        checkBodyFits(bytes, writer);
        Envelope envelope;
        try {
            envelope = decoder.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new MessageDecodeException(MessageDecodeException.Category.MALFORMED,
                    "body does not decode: " + e, e);
        }
        try {
            return toMessage(envelope);
        } catch (RuntimeException e) {
            throw new MessageDecodeException(MessageDecodeException.Category.INVALID_MESSAGE,
                    "decoded envelope is not a valid Raft message: " + e.getMessage(), e);
        }
    }

    /** Fingerprint (CRC-64-AVRO of the parsing canonical form) of the current envelope schema (version 5). */
    public static long currentSchemaFingerprint() {
        return SchemaNormalization.parsingFingerprint64(Envelope.getClassSchema());
    }

    /** Walks the body against the writer's schema without materializing it: every length must fit the input. */
    private static void checkBodyFits(byte[] bytes, Schema writer) throws MessageDecodeException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
        boolean atEnd;
        try {
            GenericDatumReader.skip(writer, in);
            atEnd = in.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new MessageDecodeException(MessageDecodeException.Category.MALFORMED,
                    "body does not match its schema: " + e, e);
        }
        if (!atEnd) {
            throw new MessageDecodeException(MessageDecodeException.Category.MALFORMED,
                    "trailing bytes after the envelope", null);
        }
    }

    private static Object toRecord(RaftMessage message) {
        if (message instanceof PreVoteRequest m) {
            return new PreVoteRequestRecord(m.term(), m.lastLogIndex(), m.lastLogTerm(), m.preCampaignNumber());
        } else if (message instanceof PreVoteResponse m) {
            return new PreVoteResponseRecord(m.term(), m.granted(), m.preCampaignNumber());
        } else if (message instanceof VoteRequest m) {
            return new VoteRequestRecord(m.term(), m.lastLogIndex(), m.lastLogTerm(), m.leadershipTransfer());
        } else if (message instanceof VoteResponse m) {
            return new VoteResponseRecord(m.term(), m.granted());
        } else if (message instanceof AppendEntriesRequest m) {
            List<LogEntryRecord> entries = new ArrayList<>(m.entries().size());
            for (LogEntry e : m.entries()) {
                entries.add(new LogEntryRecord(e.index(), e.term(), EntryTypeRecord.valueOf(e.type().name()),
                        ByteBuffer.wrap(e.payload())));
            }
            return new AppendEntriesRequestRecord(m.term(), m.prevLogIndex(), m.prevLogTerm(), entries,
                    m.leaderCommit(), m.readSeq());
        } else if (message instanceof AppendEntriesResponse m) {
            return new AppendEntriesResponseRecord(m.term(), m.success(), m.matchIndex(), m.rejectedIndex(),
                    m.conflictTerm(), m.conflictIndex(), m.lastLogIndex(), m.readSeq());
        } else if (message instanceof CommandRequest m) {
            return new CommandRequestRecord(m.term(), m.requestId(), ByteBuffer.wrap(m.command()), m.read());
        } else if (message instanceof CommandResponse m) {
            return new CommandResponseRecord(m.term(), m.requestId(), CommandStatusRecord.valueOf(m.status().name()),
                    m.index(), m.entryTerm(), m.leaderHint(),
                    m.result() == null ? null : ByteBuffer.wrap(m.result()), m.error());
        } else if (message instanceof TimeoutNow m) {
            return new TimeoutNowRecord(m.term());
        } else if (message instanceof InstallSnapshotRequest m) {
            return SnapshotRecords.toRecord(m);
        } else if (message instanceof InstallSnapshotResponse m) {
            return SnapshotRecords.toRecord(m);
        }
        throw new IllegalArgumentException("unknown message type " + message.getClass().getName());
    }

    private static RaftMessage toMessage(Envelope envelope) {
        String cluster = envelope.getClusterId();
        String from = envelope.getSender();
        String to = envelope.getReceiver();
        Object body = envelope.getMessage();
        if (body instanceof PreVoteRequestRecord r) {
            return new PreVoteRequest(cluster, from, to, r.getTerm(), r.getLastLogIndex(), r.getLastLogTerm(),
                    r.getPreCampaignNumber());
        } else if (body instanceof PreVoteResponseRecord r) {
            return new PreVoteResponse(cluster, from, to, r.getTerm(), r.getGranted(), r.getPreCampaignNumber());
        } else if (body instanceof VoteRequestRecord r) {
            return new VoteRequest(cluster, from, to, r.getTerm(), r.getLastLogIndex(), r.getLastLogTerm(),
                    r.getLeadershipTransfer());
        } else if (body instanceof VoteResponseRecord r) {
            return new VoteResponse(cluster, from, to, r.getTerm(), r.getGranted());
        } else if (body instanceof AppendEntriesRequestRecord r) {
            List<LogEntry> entries = new ArrayList<>(r.getEntries().size());
            for (LogEntryRecord e : r.getEntries()) {
                entries.add(new LogEntry(e.getIndex(), e.getTerm(), EntryType.valueOf(e.getType().name()),
                        toArray(e.getPayload())));
            }
            return new AppendEntriesRequest(cluster, from, to, r.getTerm(), r.getPrevLogIndex(), r.getPrevLogTerm(),
                    entries, r.getLeaderCommit(), r.getReadSeq());
        } else if (body instanceof AppendEntriesResponseRecord r) {
            return new AppendEntriesResponse(cluster, from, to, r.getTerm(), r.getSuccess(), r.getMatchIndex(),
                    r.getRejectedIndex(), r.getConflictTerm(), r.getConflictIndex(), r.getLastLogIndex(),
                    r.getReadSeq());
        } else if (body instanceof CommandRequestRecord r) {
            return new CommandRequest(cluster, from, to, r.getTerm(), r.getRequestId(), toArray(r.getCommand()),
                    r.getRead());
        } else if (body instanceof CommandResponseRecord r) {
            return new CommandResponse(cluster, from, to, r.getTerm(), r.getRequestId(),
                    CommandResponse.Status.valueOf(r.getStatus().name()), r.getIndex(), r.getEntryTerm(),
                    r.getLeaderHint(), r.getApplyResult() == null ? null : toArray(r.getApplyResult()),
                    r.getError());
        } else if (body instanceof TimeoutNowRecord r) {
            return new TimeoutNow(cluster, from, to, r.getTerm());
        } else if (body instanceof InstallSnapshotRequestRecord r) {
            return SnapshotRecords.toMessage(cluster, from, to, r, toArray(r.getData()));
        } else if (body instanceof InstallSnapshotResponseRecord r) {
            return SnapshotRecords.toMessage(cluster, from, to, r);
        }
        throw new IllegalArgumentException("unknown message record "
                + (body == null ? "null" : body.getClass().getName()));
    }

    private static List<Schema> withCurrentAndPrevious(Collection<Schema> older) {
        List<Schema> all = new ArrayList<>();
        all.add(EnvelopeVersions.schema(EnvelopeVersions.CURRENT));
        all.add(EnvelopeVersions.schema(EnvelopeVersions.PREVIOUS));
        all.addAll(older);
        return all;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
