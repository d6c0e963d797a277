package io.raftbus.engine.session;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replicated session table: dedup, acknowledgement trimming, expiry in log time, snapshot round trip. */
class SessionTableTest {

    private final List<String> applied = new ArrayList<>();

    /** The application: records each payload it applies and answers "payload@index". */
    private byte[] app(long index, byte[] payload) {
        String p = new String(payload, StandardCharsets.UTF_8);
        applied.add(p);
        return (p + "@" + index).getBytes(StandardCharsets.UTF_8);
    }

    private SessionReply apply(SessionTable t, long index, SessionEnvelope e, long logTime) {
        return t.apply(index, SessionEnvelope.stamp(e.encode(), logTime), this::app);
    }

    private static SessionEnvelope cmd(long session, long seq, long firstUnacked, String payload) {
        return SessionEnvelope.command(session, seq, firstUnacked, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(SessionReply r) {
        return new String(r.result(), StandardCharsets.UTF_8);
    }

    @Test
    void aRegistrationOpensASessionNamedByItsIndex() {
        SessionTable t = new SessionTable(1_000);
        SessionReply r = apply(t, 7, SessionEnvelope.register(), 100);
        assertEquals(SessionReply.Status.REGISTERED, r.status());
        assertEquals(7, r.value());
        assertTrue(t.contains(7));
    }

    @Test
    void aRetriedSeqIsNotAppliedAgainAndGetsTheFirstResult() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 0);
        SessionReply first = apply(t, 2, cmd(1, 1, 1, "cas"), 10);
        SessionReply retry = apply(t, 3, cmd(1, 1, 1, "cas"), 20);
        assertEquals(SessionReply.Status.APPLIED, retry.status());
        assertEquals("cas@2", text(first));
        assertEquals("cas@2", text(retry));
        assertEquals(List.of("cas"), applied);
    }

    @Test
    void acknowledgedResultsAreDroppedAndACopyOfAnAcknowledgedSeqIsRefusedNotApplied() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 0);
        apply(t, 2, cmd(1, 1, 1, "a"), 0);
        apply(t, 3, cmd(1, 2, 1, "b"), 0);
        assertEquals(2, t.heldResults());
        apply(t, 4, cmd(1, 3, 3, "c"), 0); // the client has the results of 1 and 2
        assertEquals(1, t.heldResults());
        SessionReply late = apply(t, 5, cmd(1, 1, 1, "a"), 0); // a very late network copy of seq 1
        assertEquals(SessionReply.Status.ALREADY_ACKNOWLEDGED, late.status());
        assertEquals(List.of("a", "b", "c"), applied);
    }

    @Test
    void theAcknowledgementNeverGoesBack() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 0);
        apply(t, 2, cmd(1, 1, 1, "a"), 0);
        apply(t, 3, cmd(1, 2, 2, "b"), 0);
        apply(t, 4, cmd(1, 1, 1, "a"), 0); // an old copy carries an older acknowledgement
        assertEquals(List.of("a", "b"), applied);
    }

    @Test
    void aSessionIdleLongerThanTheTimeoutInLogTimeExpiresAndItsCommandsAreRefused() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 5_000);
        apply(t, 2, SessionEnvelope.register(), 5_500);
        apply(t, 3, cmd(2, 1, 1, "x"), 6_000); // session 2 active at 6,000, session 1 last at 5,000
        apply(t, 4, cmd(2, 2, 1, "y"), 6_001); // session 1 idle for 1,001 ms of log time
        assertFalse(t.contains(1));
        assertTrue(t.contains(2));
        assertEquals(SessionReply.Status.UNKNOWN_SESSION, apply(t, 5, cmd(1, 1, 1, "z"), 6_002).status());
        assertEquals(List.of("x", "y"), applied);
        assertEquals(1, t.expiredCount());
    }

    @Test
    void logTimeNeverGoesBackWhenANewLeaderStampsAnEarlierTime() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 10_000);
        apply(t, 2, SessionEnvelope.register(), 3_000); // a leader whose clock is behind
        assertEquals(10_000, t.logTime());
        apply(t, 3, cmd(1, 1, 1, "a"), 10_900);
        assertTrue(t.contains(1));
        assertTrue(t.contains(2)); // registered at log time 10,000, not 3,000
    }

    @Test
    void aKeepAliveKeepsASessionOpenWithoutApplyingAnything() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 0);
        assertEquals(SessionReply.Status.KEPT_ALIVE, apply(t, 2, SessionEnvelope.keepAlive(1, 1), 900).status());
        apply(t, 3, SessionEnvelope.register(), 1_800);
        assertTrue(t.contains(1));
        assertTrue(applied.isEmpty());
    }

    @Test
    void bytesThatAreNoSessionCommandAreSkippedAndCounted() {
        SessionTable t = new SessionTable(1_000);
        SessionReply r = t.apply(1, "raw".getBytes(StandardCharsets.UTF_8), this::app);
        assertEquals(SessionReply.Status.MALFORMED, r.status());
        assertEquals(1, t.malformedCount());
        assertTrue(applied.isEmpty());
    }

    @Test
    void aSnapshotRoundTripKeepsSessionsResultsOrderAndLogTime() throws IOException {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 100);
        apply(t, 2, SessionEnvelope.register(), 200);
        apply(t, 3, cmd(1, 1, 1, "a"), 300);
        apply(t, 4, cmd(2, 1, 1, "b"), 400);
        SessionTable copy = roundTrip(t);
        assertArrayEquals(bytes(t), bytes(copy));
        assertEquals(400, copy.logTime());
        // the copy dedups as the original does, and expires the same session at the same index
        assertEquals("a@3", text(apply(copy, 5, cmd(1, 1, 1, "a"), 500)));
        assertEquals(List.of("a", "b"), applied);
        apply(copy, 6, cmd(1, 2, 2, "c"), 1_401); // session 2 idle since 400
        assertFalse(copy.contains(2));
        assertTrue(copy.contains(1));
    }

    @Test
    void aCopyIsIndependentOfLaterApplies() throws IOException {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 100);
        SessionTable captured = t.copy();
        byte[] before = bytes(captured);
        apply(t, 2, cmd(1, 1, 1, "a"), 200);
        assertArrayEquals(before, bytes(captured));
    }

    @Test
    void anUnknownFormatVersionIsRefusedWithAClearError() {
        byte[] junk = {0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        IOException e = assertThrows(IOException.class,
                () -> new SessionTable(1).readFrom(new DataInputStream(new ByteArrayInputStream(junk))));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void theLeaderStampWritesOnlyTheLogTimeOfACopy() {
        byte[] submitted = cmd(4, 2, 1, "p").encode();
        byte[] stamped = SessionEnvelope.stamp(submitted, 12_345);
        assertEquals(0, SessionEnvelope.decode(submitted).logTime());
        assertEquals(12_345, SessionEnvelope.decode(stamped).logTime());
        assertArrayEquals(submitted, SessionEnvelope.unstamped(stamped));
        byte[] raw = "raw".getBytes(StandardCharsets.UTF_8);
        assertTrue(raw == SessionEnvelope.stamp(raw, 1));
    }

    @Test
    void aRegistrationBeyondTheSessionCapEvictsTheLeastRecentlyActiveSession() {
        SessionTable t = new SessionTable(1_000, new SessionLimits(2, 10));
        apply(t, 1, SessionEnvelope.register(), 0);
        apply(t, 2, SessionEnvelope.register(), 0);
        apply(t, 3, cmd(1, 1, 1, "a"), 0); // session 1 is now the more recently active
        SessionChanges changes = new SessionChanges();
        SessionReply r = t.apply(4, SessionEnvelope.register().encode(), this::app, changes);
        assertEquals(SessionReply.Status.REGISTERED, r.status());
        assertEquals(List.of(2L), changes.removed());
        assertEquals(4, changes.touched().id());
        assertEquals(1, t.evictedCount());
        assertEquals(SessionReply.Status.UNKNOWN_SESSION, apply(t, 5, cmd(2, 1, 1, "b"), 0).status());
        assertEquals("a@3", text(apply(t, 6, cmd(1, 1, 1, "a"), 0)));
        assertEquals(List.of("a"), applied);
    }

    @Test
    void aNewSeqBeyondTheHeldResultsCapIsRefusedNotAppliedWhileHeldOnesAreStillAnswered() {
        SessionTable t = new SessionTable(1_000, new SessionLimits(10, 2));
        apply(t, 1, SessionEnvelope.register(), 0);
        apply(t, 2, cmd(1, 1, 1, "a"), 0);
        apply(t, 3, cmd(1, 2, 1, "b"), 0);
        SessionChanges changes = new SessionChanges();
        SessionReply refused = t.apply(4, cmd(1, 3, 1, "c").encode(), this::app, changes);
        assertEquals(SessionReply.Status.TOO_MANY_UNACKNOWLEDGED, refused.status());
        assertEquals(null, changes.heldResult());
        assertEquals(List.of("a", "b"), applied);
        assertEquals("b@3", text(apply(t, 5, cmd(1, 2, 1, "b"), 0)));
        assertEquals("c@6", text(apply(t, 6, cmd(1, 3, 2, "c"), 0))); // seq 1 acknowledged: room again
        assertEquals(List.of("a", "b", "c"), applied);
    }

    @Test
    void closeDropsTheSessionAndItsResultsAndItsLaterCommandsAreUnknown() {
        SessionTable t = new SessionTable(1_000);
        apply(t, 1, SessionEnvelope.register(), 0);
        apply(t, 2, cmd(1, 1, 1, "a"), 0);
        SessionChanges changes = new SessionChanges();
        assertEquals(SessionReply.Status.CLOSED, t.apply(3, SessionEnvelope.close(1).encode(), this::app, changes)
                .status());
        assertEquals(List.of(1L), changes.removed());
        assertEquals(0, t.size());
        assertEquals(0, t.heldResults());
        assertEquals(SessionReply.Status.UNKNOWN_SESSION, apply(t, 4, cmd(1, 1, 1, "a"), 0).status());
        assertEquals(SessionReply.Status.UNKNOWN_SESSION, apply(t, 5, SessionEnvelope.close(1), 0).status());
        assertEquals(List.of("a"), applied);
    }

    @Test
    void theStoredStateLoadsIntoATableThatBehavesTheSame() throws IOException {
        SessionTable t = new SessionTable(1_000, new SessionLimits(2, 2));
        apply(t, 1, SessionEnvelope.register(), 100);
        apply(t, 2, SessionEnvelope.register(), 100); // the same log time: order by index
        apply(t, 3, cmd(2, 1, 1, "a"), 100);
        apply(t, 4, cmd(1, 1, 1, "b"), 100);
        SessionTable loaded = new SessionTable(1_000, new SessionLimits(2, 2));
        loaded.load(t.stored());
        assertArrayEquals(bytes(t), bytes(loaded));
        apply(t, 5, SessionEnvelope.register(), 100);
        apply(loaded, 5, SessionEnvelope.register(), 100);
        assertFalse(loaded.contains(2), "session 2 was the least recently active");
        assertArrayEquals(bytes(t), bytes(loaded));
    }

    @Test
    void anInconsistentStoredTableIsRefused() {
        SessionTable t = new SessionTable(1_000);
        StoredSessions.Session one = new StoredSessions.Session(1, 0, 5, 1, new java.util.TreeMap<>());
        StoredSessions.Session two = new StoredSessions.Session(2, 0, 3, 1, new java.util.TreeMap<>());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.load(new StoredSessions(0, List.of(one, two))));
        assertTrue(e.getMessage().contains("not in increasing order"), e.getMessage());
        assertEquals(0, t.size());
    }

    @Test
    void aFormatOneTableIsStillRead() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(1);
        data.writeLong(500); // log time
        data.writeInt(2);
        for (long id : new long[] {7, 3}) { // activity order, not id order
            data.writeLong(id);
            data.writeLong(400);
            data.writeLong(1);
            data.writeInt(1);
            data.writeLong(1);
            data.writeInt(1);
            data.write((byte) id);
        }
        SessionTable t = new SessionTable(1_000, new SessionLimits(2, 10));
        t.readFrom(new DataInputStream(new ByteArrayInputStream(out.toByteArray())));
        assertEquals(2, t.heldResults());
        apply(t, 20, SessionEnvelope.register(), 600);
        assertFalse(t.contains(7), "the least recently active is evicted");
        assertTrue(t.contains(3));
    }

    private static byte[] bytes(SessionTable t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.writeTo(new DataOutputStream(out));
        return out.toByteArray();
    }

    private static SessionTable roundTrip(SessionTable t) throws IOException {
        SessionTable copy = new SessionTable(t.idleTimeoutMs());
        copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(t))));
        return copy;
    }
}
