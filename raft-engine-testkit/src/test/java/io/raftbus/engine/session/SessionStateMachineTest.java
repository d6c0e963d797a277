package io.raftbus.engine.session;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper: payloads reach the application once, and a composite snapshot restores both table and state. */
class SessionStateMachineTest {

    private static final SnapshotInfo INFO = new SnapshotInfo(3, 1, Membership.ofVoters(Set.of("n1")), 0, 0);

    private static byte[] cmd(long session, long seq, String payload) {
        return SessionEnvelope.command(session, seq, seq, payload.getBytes(StandardCharsets.UTF_8)).encode();
    }

    @Test
    void aCompositeSnapshotRestoresTheTableAndTheApplicationState() throws IOException {
        RecordingStateMachine app = new RecordingStateMachine();
        SessionStateMachine sm = new SessionStateMachine(app, 60_000);
        sm.apply(1, SessionEnvelope.register().encode());
        byte[] first = sm.apply(2, cmd(1, 1, "a"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sm.captureSnapshot().writeTo(out);

        RecordingStateMachine restoredApp = new RecordingStateMachine();
        SessionStateMachine restored = new SessionStateMachine(restoredApp, 60_000);
        restored.restoreSnapshot(INFO, new ByteArrayInputStream(out.toByteArray()));

        assertEquals(SessionReply.decode(first), SessionReply.decode(restored.apply(4, cmd(1, 1, "a"))));
        assertEquals(List.of("a"), restoredApp.applied());
        assertEquals(0, restoredApp.applyCalls());
    }

    @Test
    void aSnapshotTakenWithoutSessionsIsRefusedWithAClearError() throws IOException {
        RecordingStateMachine plain = new RecordingStateMachine();
        plain.apply(1, "x".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plain.captureSnapshot().writeTo(out);
        SessionStateMachine sm = new SessionStateMachine(new RecordingStateMachine(), 60_000);
        IOException e = assertThrows(IOException.class,
                () -> sm.restoreSnapshot(INFO, new ByteArrayInputStream(out.toByteArray())));
        assertTrue(e.getMessage().contains("sessions off"), e.getMessage());
    }

    @Test
    void aDurableApplicationStateMachineIsRefused() {
        StateMachine durable = new StateMachine() {
            @Override
            public byte[] apply(long index, byte[] command) {
                return new byte[0];
            }

            @Override
            public long lastAppliedIndex() {
                return 7;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SessionStateMachine(durable, 60_000));
        assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
    }
}
