package io.raftbus.sqlite;

import io.raftbus.engine.simulation.RandomFaultScenario;
import io.raftbus.engine.spi.LogAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's random-fault simulation with every node on a real {@link SqliteLog} in a temporary directory (a
 * crash closes the node's log, a restart opens the file again). The simulation is deterministic and a log must
 * behave exactly like the in-memory one, so each seed must pass and end exactly as it does with in-memory logs: the
 * same committed entries, messages and virtual time. {@code -Dsim.sqlite.seeds=N} runs more seeds (default 5).
 */
class SqliteSimulationTest {

    @TempDir
    Path dir;

    @Test
    void eachSeedEndsExactlyAsWithInMemoryLogs() throws IOException {
        long seeds = Long.getLong("sim.sqlite.seeds", 5);
        for (long seed = 1; seed <= seeds; seed++) {
            Path runDir = Files.createDirectory(dir.resolve("seed-" + seed));
            String cluster = "sim-" + seed;
            String inMemory = outcome(seed, null);
            String onSqlite = outcome(seed, id -> SqliteLog.open(runDir.resolve(id + ".db"), cluster, id));
            assertEquals(inMemory, onSqlite, "seed " + seed);
            assertTrue(onSqlite.startsWith("Result"), "seed " + seed + ": " + onSqlite);
        }
    }

    private static String outcome(long seed, Function<String, LogAPI> logFactory) {
        try {
            return RandomFaultScenario.run(seed, logFactory).toString();
        } catch (AssertionError | RuntimeException e) {
            return "FAILED " + e.getMessage().lines().findFirst().orElse("");
        }
    }
}
