package io.raftbus.engine.session;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a command carries when client sessions are on: its kind, the log time the leader stamped on it, the client's
 * session id, the command's sequence number in that session, the lowest sequence number whose result the client has
 * not received yet (everything below it is acknowledged and may be forgotten), and the application's payload.
 *
 * <p>Wire format, version 1, big-endian: magic {@code 0xC5}, version {@code 1}, kind (1 byte), log time (8), session
 * id (8), seq (8), first unacknowledged seq (8), then the payload to the end. The log time sits at a fixed offset so
 * the leader stamps it without decoding ({@link #stamp}).
 *
 * @param kind what the command asks for
 * @param logTime the leader's clock in ms when it appended the command (0 until stamped)
 * @param sessionId the client's session (the log index of its registration); 0 for {@link Kind#REGISTER}
 * @param seq the command's number in the session, from 1; 0 for the other kinds
 * @param firstUnacked the lowest seq whose result the client still waits for; results below it are dropped
 * @param payload the application's command bytes (a registration's label; empty for a keep-alive)
 */
public record SessionEnvelope(Kind kind, long logTime, long sessionId, long seq, long firstUnacked, byte[] payload) {

    /** First byte of every session command. */
    public static final byte MAGIC = (byte) 0xC5;
    /** The format version written. */
    public static final byte VERSION = 1;
    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 35;
    private static final int LOG_TIME_OFFSET = 3;

    /** What a session command asks for. */
    public enum Kind {
        /** Open a session; its id is the log index of this command. */
        REGISTER,
        /** Apply the payload once for (session, seq). */
        COMMAND,
        /** Keep an idle session alive and drop acknowledged results; applies nothing. */
        KEEP_ALIVE,
        /** Close the session: drop it and its held results; its later commands get {@code UNKNOWN_SESSION}. */
        CLOSE
    }

    public SessionEnvelope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /** A registration. */
    public static SessionEnvelope register() {
        return register(new byte[0]);
    }

    /**
     * A registration carrying {@code label} (for example a client name or nonce, so two registrations differ in
     * bytes); the table does not keep it.
     */
    public static SessionEnvelope register(byte[] label) {
        return new SessionEnvelope(Kind.REGISTER, 0, 0, 0, 0, label);
    }

    /** Command {@code seq} of session {@code sessionId}. */
    public static SessionEnvelope command(long sessionId, long seq, long firstUnacked, byte[] payload) {
        return new SessionEnvelope(Kind.COMMAND, 0, sessionId, seq, firstUnacked, payload);
    }

    /** A keep-alive of session {@code sessionId}. */
    public static SessionEnvelope keepAlive(long sessionId, long firstUnacked) {
        return new SessionEnvelope(Kind.KEEP_ALIVE, 0, sessionId, 0, firstUnacked, new byte[0]);
    }

    /** The closing of session {@code sessionId}. */
    public static SessionEnvelope close(long sessionId) {
        return new SessionEnvelope(Kind.CLOSE, 0, sessionId, 0, 0, new byte[0]);
    }

    /** The encoded bytes. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.put(MAGIC).put(VERSION).put((byte) kind.ordinal()).putLong(logTime).putLong(sessionId).putLong(seq)
                .putLong(firstUnacked).put(payload);
        return b.array();
    }

    /** Whether {@code bytes} look like a session command of a version this code reads. */
    public static boolean isEnvelope(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER_BYTES && bytes[0] == MAGIC && bytes[1] == VERSION
                && bytes[2] >= 0 && bytes[2] < Kind.values().length;
    }

    /**
     * Decodes a session command.
     *
     * @throws IllegalArgumentException not a session command of a known version and kind
     */
    public static SessionEnvelope decode(byte[] bytes) {
        if (!isEnvelope(bytes)) {
            throw new IllegalArgumentException("not a session command (version " + VERSION + "): "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(2);
        Kind kind = Kind.values()[b.get()];
        long logTime = b.getLong();
        long sessionId = b.getLong();
        long seq = b.getLong();
        long firstUnacked = b.getLong();
        byte[] payload = Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length);
        return new SessionEnvelope(kind, logTime, sessionId, seq, firstUnacked, payload);
    }

    /**
     * {@code bytes} with the log time set to {@code logTime}, as a new array; bytes that are no session command are
     * returned unchanged.
     */
    public static byte[] stamp(byte[] bytes, long logTime) {
        if (!isEnvelope(bytes)) {
            return bytes;
        }
        byte[] stamped = bytes.clone();
        ByteBuffer.wrap(stamped).putLong(LOG_TIME_OFFSET, logTime);
        return stamped;
    }

    /** {@code bytes} with the log time cleared (what the client submitted), for comparing attempts. */
    public static byte[] unstamped(byte[] bytes) {
        return stamp(bytes, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionEnvelope e && e.kind == kind && e.logTime == logTime && e.sessionId == sessionId
                && e.seq == seq && e.firstUnacked == firstUnacked && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, logTime, sessionId, seq, firstUnacked, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "SessionEnvelope[" + kind + " session " + sessionId + " seq " + seq + " ack<" + firstUnacked
                + " t=" + logTime + " " + payload.length + "B]";
    }
}
