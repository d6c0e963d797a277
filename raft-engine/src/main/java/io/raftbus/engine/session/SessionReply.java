package io.raftbus.engine.session;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The result of a session command as the {@link SessionStateMachine} returns it (and so as every submitter receives
 * it): a status, a number (the new session id for {@link Status#REGISTERED}), and the application's result.
 *
 * <p>Wire format, version 1: magic {@code 0xC6}, version {@code 1}, status (1 byte), value (8 bytes), then the result.
 *
 * @param status what happened
 * @param value the session id for {@link Status#REGISTERED}, else 0
 * @param result the application's result for {@link Status#APPLIED}, else empty
 */
public record SessionReply(Status status, long value, byte[] result) {

    private static final byte MAGIC = (byte) 0xC6;
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 11;
    private static final Status[] STATUSES = Status.values();

    /** What happened to a session command. */
    public enum Status {
        /** Applied, now or earlier (a retry gets the first application's result). */
        APPLIED,
        /** A session was opened; {@code value} is its id. */
        REGISTERED,
        /** A keep-alive was recorded. */
        KEPT_ALIVE,
        /** The session is not in the table (expired, or never registered): the command was not applied. */
        UNKNOWN_SESSION,
        /**
         * The seq is below what the client acknowledged, and its result is no longer kept: this copy was not applied
         * (it was applied before, and the client said it had the result).
         */
        ALREADY_ACKNOWLEDGED,
        /** Not a session command: skipped and counted, nothing applied. */
        MALFORMED,
        /** The session was closed (it and its held results are dropped). */
        CLOSED,
        /**
         * The session holds as many results as its client has not acknowledged as
         * {@link SessionLimits#maxUnacknowledgedResults()} allows: this copy of the command was refused, not applied.
         */
        TOO_MANY_UNACKNOWLEDGED
    }

    public SessionReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(result, "result");
    }

    static SessionReply of(Status status) {
        return new SessionReply(status, 0, new byte[0]);
    }

    /** The encoded bytes. */
    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_BYTES + result.length).put(MAGIC).put(VERSION).put((byte) status.ordinal())
                .putLong(value).put(result).array();
    }

    /**
     * Decodes a reply.
     *
     * @throws IllegalArgumentException not a session reply (the cluster does not run sessions?)
     */
    public static SessionReply decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MAGIC || bytes[1] != VERSION
                || bytes[2] < 0 || bytes[2] >= Status.values().length) {
            throw new IllegalArgumentException("not a session reply (" + (bytes == null ? "null" : bytes.length
                    + " bytes") + "): does the cluster run with client sessions on?");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(2);
        Status status = Status.values()[b.get()];
        long value = b.getLong();
        return new SessionReply(status, value, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
    }

    /**
     * The status of an encoded reply, without copying its result.
     *
     * @throws IllegalArgumentException not a session reply
     */
    public static Status statusOf(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != MAGIC || bytes[1] != VERSION
                || bytes[2] < 0 || bytes[2] >= STATUSES.length) {
            return decode(bytes).status(); // throws, with decode's explanation
        }
        return STATUSES[bytes[2]];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionReply r && r.status == status && r.value == value
                && Arrays.equals(r.result, result);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, value, Arrays.hashCode(result));
    }

    @Override
    public String toString() {
        return "SessionReply[" + status + (value != 0 ? " " + value : "") + " " + result.length + "B]";
    }
}
