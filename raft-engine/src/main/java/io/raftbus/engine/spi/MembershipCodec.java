package io.raftbus.engine.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The payload of a {@link EntryType#CONFIG} log entry: a {@link Membership} in a small stable binary format. Version
 * 1 is: one version byte {@code 1}; a 4-byte big-endian count of voters, then each voter id as
 * {@link DataOutputStream#writeUTF modified UTF-8}; the same for learners. Ids are written in sorted order, so one
 * membership always encodes to the same bytes. Decoding refuses other versions, impossible counts and trailing
 * bytes with {@link IllegalArgumentException}.
 */
public final class MembershipCodec {

    /** The only version written and read. */
    public static final byte VERSION = 1;

    /** A count above this cannot be a real cluster: the payload is corrupt. */
    private static final int MAX_IDS = 10_000;

    private MembershipCodec() {
    }

    /** {@code membership} as a CONFIG entry's payload. */
    public static byte[] encode(Membership membership) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeIds(out, membership.voters());
            writeIds(out, membership.learners());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    /**
     * The membership a CONFIG entry's payload holds.
     *
     * @throws IllegalArgumentException the payload is not a version-1 membership (corrupt, or from a newer version)
     */
    public static Membership decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("membership encoded with version " + version + "; this build"
                        + " reads version " + VERSION + " only");
            }
            Set<String> voters = readIds(in);
            Set<String> learners = readIds(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException("membership payload has " + in.available() + " trailing bytes");
            }
            return new Membership(voters, learners);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated membership payload of " + payload.length + " bytes", e);
        }
    }

    private static void writeIds(DataOutputStream out, Set<String> ids) throws IOException {
        out.writeInt(ids.size());
        for (String id : new TreeSet<>(ids)) {
            out.writeUTF(id);
        }
    }

    private static Set<String> readIds(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_IDS) {
            throw new IllegalArgumentException("membership payload claims " + count + " ids");
        }
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            if (!ids.add(in.readUTF())) {
                throw new IllegalArgumentException("membership payload repeats an id");
            }
        }
        return ids;
    }
}
