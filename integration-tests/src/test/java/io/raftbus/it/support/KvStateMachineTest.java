package io.raftbus.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.it.linearizability.KvInput;
import org.junit.jupiter.api.Test;

/** The test state machine's snapshots: what a capture holds, and what a restore replaces. */
class KvStateMachineTest {

    @Test
    void aCaptureHoldsTheStateWhenTakenAndARestoreCarriesItsDigestOn() throws IOException {
        KvStateMachine source = new KvStateMachine();
        source.apply(1, KvCodec.encode(KvInput.put("a", "1")));
        source.apply(3, KvCodec.opaque("t1"));
        StateSnapshot capture = source.captureSnapshot();
        Map<String, String> atCapture = source.snapshot();
        Long digestAtCapture = source.digestAt(3);
        source.apply(4, KvCodec.encode(KvInput.put("a", "2"))); // after the capture: not in it

        KvStateMachine restored = new KvStateMachine();
        restored.apply(1, KvCodec.encode(KvInput.put("stale", "x")));
        restored.restoreSnapshot(info(3), new ByteArrayInputStream(bytesOf(capture)));

        assertThat(restored.snapshot()).isEqualTo(atCapture).isEqualTo(Map.of("a", "1"));
        assertThat(restored.hasTag("t1")).isTrue();
        assertThat(restored.lastApplied()).isEqualTo(3);
        assertThat(restored.restoredFrom()).isEqualTo(3);
        assertThat(restored.digestAt(3)).isEqualTo(digestAtCapture);
        restored.apply(4, KvCodec.encode(KvInput.put("a", "2")));
        assertThat(restored.digestAt(4)).isEqualTo(source.digestAt(4));
        assertThat(restored.snapshot()).isEqualTo(source.snapshot());
    }

    @Test
    void aStreamThatIsNotItsSnapshotIsRefusedAndChangesNothing() throws IOException {
        KvStateMachine machine = new KvStateMachine();
        machine.apply(1, KvCodec.encode(KvInput.put("a", "1")));
        byte[] garbage = "not a snapshot at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> machine.restoreSnapshot(info(5), new ByteArrayInputStream(garbage)))
                .isInstanceOf(IOException.class);

        byte[] valid = bytesOf(machine.captureSnapshot());
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> machine.restoreSnapshot(info(5), new ByteArrayInputStream(longer)))
                .isInstanceOf(IOException.class).hasMessageContaining("trailing");
        assertThat(machine.snapshot()).isEqualTo(Map.of("a", "1"));
        assertThat(machine.restores()).isZero();
    }

    private static byte[] bytesOf(StateSnapshot capture) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        capture.writeTo(out);
        capture.release();
        return out.toByteArray();
    }

    private static SnapshotInfo info(long index) {
        return new SnapshotInfo(index, 1, Membership.ofVoters(java.util.Set.of("n1")), 0, 0);
    }
}
