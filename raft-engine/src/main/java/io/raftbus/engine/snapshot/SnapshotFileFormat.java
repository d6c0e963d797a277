package io.raftbus.engine.snapshot;

import io.raftbus.engine.spi.Membership;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The layout of one snapshot file of a {@link FileSnapshotStore}: a header, then the snapshot's bytes. The header is
 * {@code magic "RBSN"} (4 bytes), {@code version} (2), {@code headerLength} (4, the whole header's), then
 * {@code index, term, sizeBytes, checksum} (8 each), the voters and the learners (a count, then each id in modified
 * UTF-8, sorted), and last the CRC32C of everything before it (4). Its length depends only on the membership, so
 * the writer reserves it at the start and fills in size and checksum when it commits. File names are
 * {@code snapshot-<index>-<term>-<crc32c as 8 hex digits>.snap} (index and term zero-padded to 20 digits), so names
 * sort by index and identify the snapshot; files being written end in {@value #TEMP_SUFFIX}.
 */
final class SnapshotFileFormat {

    static final int MAGIC = 0x5242534e; // "RBSN"
    static final short VERSION = 1;
    /** Headers longer than this are refused as corrupt (a membership of thousands of ids still fits). */
    static final int MAX_HEADER_BYTES = 1 << 20;
    static final String SUFFIX = ".snap";
    static final String TEMP_SUFFIX = ".snap.part";
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{20})-([0-9a-f]{8})\\.snap");
    /** magic, version, headerLength: what must be read to know how long the header is. */
    static final int PREFIX_BYTES = 4 + 2 + 4;

    private SnapshotFileFormat() {
    }

    /** The header of a snapshot at {@code index}/{@code term}, with {@code sizeBytes} and {@code checksum}. */
    static byte[] header(long index, long term, Membership membership, long sizeBytes, long checksum) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.writeLong(index);
            out.writeLong(term);
            out.writeLong(sizeBytes);
            out.writeLong(checksum);
            writeIds(out, membership.voters());
            writeIds(out, membership.learners());
            out.flush();
            byte[] fields = body.toByteArray();
            int length = PREFIX_BYTES + fields.length + 4;
            ByteBuffer header = ByteBuffer.allocate(length);
            header.putInt(MAGIC).putShort(VERSION).putInt(length).put(fields);
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, length - 4);
            header.putInt((int) crc.getValue());
            return header.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
    }

    private static void writeIds(DataOutputStream out, Set<String> ids) throws IOException {
        out.writeInt(ids.size());
        for (String id : new TreeSet<>(ids)) {
            out.writeUTF(id);
        }
    }

    /**
     * The length of the header whose first {@link #PREFIX_BYTES} bytes are {@code prefix}.
     *
     * @throws CorruptSnapshotException not a snapshot header of this version
     */
    static int headerLength(ByteBuffer prefix) throws CorruptSnapshotException {
        int magic = prefix.getInt(0);
        short version = prefix.getShort(4);
        int length = prefix.getInt(6);
        if (magic != MAGIC) {
            throw new CorruptSnapshotException("not a snapshot file (magic " + Integer.toHexString(magic) + ")");
        }
        if (version != VERSION) {
            throw new CorruptSnapshotException("snapshot format version " + version + ", this build reads "
                    + VERSION);
        }
        if (length < PREFIX_BYTES + 4 * 8 + 4 + 4 + 4 || length > MAX_HEADER_BYTES) {
            throw new CorruptSnapshotException("implausible header length " + length);
        }
        return length;
    }

    /**
     * Decodes a whole header (as {@link #header} wrote it) into its fields.
     *
     * @throws CorruptSnapshotException its checksum or content is wrong
     */
    static Header parse(byte[] header) throws CorruptSnapshotException {
        int length = headerLength(ByteBuffer.wrap(header, 0, PREFIX_BYTES));
        if (length != header.length) {
            throw new CorruptSnapshotException("header length " + length + " but " + header.length + " bytes read");
        }
        CRC32C crc = new CRC32C();
        crc.update(header, 0, length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(header).getInt(length - 4)) {
            throw new CorruptSnapshotException("header checksum mismatch");
        }
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(header, PREFIX_BYTES,
                    length - PREFIX_BYTES - 4));
            long index = in.readLong();
            long term = in.readLong();
            long size = in.readLong();
            long checksum = in.readLong();
            Set<String> voters = readIds(in);
            Set<String> learners = readIds(in);
            return new Header(index, term, size, checksum, new Membership(voters, learners));
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptSnapshotException("header fields unreadable: " + e.getMessage());
        }
    }

    private static Set<String> readIds(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_HEADER_BYTES / 2) {
            throw new IOException("implausible id count " + n);
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readUTF());
        }
        return new HashSet<>(ids);
    }

    /** The file name of a committed snapshot. */
    static String fileName(long index, long term, long checksum) {
        return String.format("snapshot-%020d-%020d-%08x%s", index, term, checksum, SUFFIX);
    }

    /** The index, term and checksum a committed snapshot's file name carries, or null if it is not such a name. */
    static long[] parseName(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3), 16)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decoded header. */
    record Header(long index, long term, long sizeBytes, long checksum, Membership membership) {
    }

    /** A snapshot file whose header is not what this store writes. */
    static final class CorruptSnapshotException extends IOException {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }
}
