package io.raftbus.engine.simulation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run is reproduced from its seed alone. */
class SimulationDeterminismTest {

    @Test
    void sameSeedSameRun() {
        assertEquals(RandomFaultScenario.run(42), RandomFaultScenario.run(42));
        assertEquals(traceOf(7), traceOf(7));
    }

    @Test
    void differentSeedsDiffer() {
        assertNotEquals(traceOf(7), traceOf(8));
    }

    private static String traceOf(long seed) {
        Simulation sim = Simulation.builder(seed).nodes(3)
                .faults(new NetworkFaults(0.1, 0.05, 1, 20)).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000), "a leader is elected");
        for (int i = 0; i < 20; i++) {
            sim.submit(sim.nodeIds().get(i % 3), ("c" + i).getBytes(StandardCharsets.UTF_8));
            sim.runFor(20);
        }
        sim.runFor(1_000);
        return sim.trace() + sim.committedIndex();
    }
}
