package io.raftbus.engine.simulation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadyRecorderTest {

    @Test
    void aSeedsFingerprintIsReproducible() {
        assertEquals(ReadyRecorder.fingerprint(7), ReadyRecorder.fingerprint(7));
    }

    @Test
    void differentRunsHaveDifferentFingerprints() {
        String a = ReadyRecorder.fingerprint(7);
        String b = ReadyRecorder.fingerprint(8);
        assertNotEquals(a.substring(a.lastIndexOf(' ')), b.substring(b.lastIndexOf(' ')));
    }

    @Test
    void recordingDoesNotChangeTheRun() {
        RandomFaultScenario.Result plain = RandomFaultScenario.run(11);
        ReadyRecorder recorder = new ReadyRecorder();
        RandomFaultScenario.Result recorded = RandomFaultScenario.run(11, null, recorder);
        assertEquals(plain, recorded);
        assertTrue(recorder.readies() > 0);
    }
}
