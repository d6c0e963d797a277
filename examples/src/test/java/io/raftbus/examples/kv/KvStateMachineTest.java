package io.raftbus.examples.kv;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateSnapshot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KvStateMachineTest {

    private final KvStateMachine machine = new KvStateMachine();
    private long index;

    private KvResult apply(KvCommand command) {
        return KvResult.decode(machine.apply(++index, command.encode()));
    }

    @Test
    void putThenGetReturnsTheValue() {
        assertEquals(KvResult.ok("1"), apply(new KvCommand.Put("a", "1")));
        assertEquals(KvResult.ok("1"), apply(new KvCommand.Get("a")));
        assertEquals(KvResult.ok("2"), apply(new KvCommand.Put("a", "2")));
        assertEquals(KvResult.ok("2"), apply(new KvCommand.Get("a")));
        assertEquals(KvResult.notFound(), apply(new KvCommand.Get("b")));
    }

    @Test
    void aGetIsAlsoAReadOnlyQueryAndNothingElseIs() {
        apply(new KvCommand.Put("a", "1"));
        assertEquals(KvResult.ok("1"), KvResult.decode(machine.query(new KvCommand.Get("a").encode())));
        assertEquals(KvResult.notFound(), KvResult.decode(machine.query(new KvCommand.Get("b").encode())));
        assertThrows(IllegalArgumentException.class, () -> machine.query(new KvCommand.Put("a", "2").encode()));
        assertEquals(Map.of("a", "1"), machine.snapshot(), "queries change nothing");
        assertEquals(1, machine.appliedIndex());
    }

    @Test
    void deleteRemovesAndReportsWhatWasThere() {
        apply(new KvCommand.Put("a", "1"));
        assertEquals(KvResult.ok("1"), apply(new KvCommand.Delete("a")));
        assertEquals(KvResult.notFound(), apply(new KvCommand.Delete("a")));
        assertEquals(KvResult.notFound(), apply(new KvCommand.Get("a")));
    }

    @Test
    void casSwapsOnlyWhenTheExpectedValueMatches() {
        assertEquals(new KvResult(KvResult.Outcome.CAS_MISMATCH, null), apply(new KvCommand.Cas("a", "1", "2")));
        assertEquals(KvResult.ok("1"), apply(new KvCommand.Cas("a", null, "1")));
        assertEquals(new KvResult(KvResult.Outcome.CAS_MISMATCH, "1"), apply(new KvCommand.Cas("a", null, "9")));
        assertEquals(new KvResult(KvResult.Outcome.CAS_MISMATCH, "1"), apply(new KvCommand.Cas("a", "0", "2")));
        assertEquals(KvResult.ok("2"), apply(new KvCommand.Cas("a", "1", "2")));
        assertEquals(Map.of("a", "2"), machine.snapshot());
    }

    @Test
    void aGarbageEntryIsAnsweredNotThrownAndChangesNothing() {
        apply(new KvCommand.Put("a", "1"));
        KvResult result = KvResult.decode(machine.apply(++index, new byte[] {7, 7, 7}));
        assertEquals(KvResult.Outcome.INVALID_COMMAND, result.outcome());
        assertEquals(Map.of("a", "1"), machine.snapshot());
        assertEquals(index, machine.appliedIndex());
    }

    @Test
    void keepsNoDurableState() {
        apply(new KvCommand.Put("a", "1"));
        assertEquals(0, machine.lastAppliedIndex());
        assertEquals(1, machine.appliedIndex());
    }

    @Test
    void aCapturedSnapshotIsTheStateAtCaptureAndRestoresIntoAnotherMachine() throws IOException {
        apply(new KvCommand.Put("a", "1"));
        apply(new KvCommand.Put("b", "2"));
        StateSnapshot captured = machine.captureSnapshot();
        apply(new KvCommand.Put("a", "changed after the capture"));
        apply(new KvCommand.Delete("b"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        captured.writeTo(out); // as the snapshot thread does, while the machine went on
        captured.release();

        KvStateMachine restored = new KvStateMachine();
        SnapshotInfo info = new SnapshotInfo(2, 1, Membership.ofVoters(Set.of("n1")), out.size(), 0);
        restored.restoreSnapshot(info, new ByteArrayInputStream(out.toByteArray()));

        assertEquals(Map.of("a", "1", "b", "2"), restored.snapshot());
        assertEquals(2, restored.appliedIndex());
        assertThrows(IOException.class, () -> new KvStateMachine().restoreSnapshot(info,
                new ByteArrayInputStream(out.toByteArray(), 0, out.size() - 1)), "a truncated snapshot is refused");
    }
}
