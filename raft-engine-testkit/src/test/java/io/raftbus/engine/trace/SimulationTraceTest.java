package io.raftbus.engine.trace;

import io.raftbus.engine.Role;
import io.raftbus.engine.simulation.InvariantViolation;
import io.raftbus.engine.simulation.RandomFaultScenario;
import io.raftbus.engine.simulation.Simulation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traces of simulation runs: what the table, the diagram and a violation report show (structure, not bytes). */
class SimulationTraceTest {

    private static final List<String> NODES = List.of("n1", "n2", "n3");

    /** A fault-free 3-node run: a leader is elected and one command commits everywhere. */
    private static TraceRecorder electAndCommit(long seed) {
        TraceRecorder recorder = TraceRecorder.first(10_000);
        Simulation sim = Simulation.builder(seed).traceObserver(recorder).build();
        assertTrue(sim.runUntil(() -> sim.leader().isPresent(), 5_000));
        sim.submit(sim.leader().orElseThrow(), new byte[] {7});
        assertTrue(sim.runUntil(() -> NODES.stream().allMatch(id -> sim.lastApplied(id) >= 2), 5_000));
        return recorder;
    }

    @Test
    void theTableShowsTheElectionTheMessagesAndTheCommit() {
        TraceRecorder recorder = electAndCommit(11);
        String table = recorder.table(NODES);
        assertTrue(table.lines().findFirst().orElseThrow().matches("\\s*time ms\\s*\\| n1\\s*\\| n2\\s*\\| n3"),
                table);
        assertTrue(table.contains("→LEADER"), "a leader is elected:\n" + table);
        assertTrue(table.contains("VoteReq t"), "votes are asked:\n" + table);
        assertTrue(table.matches("(?s).*← n\\d AppendEntries t\\d.*"), "entries are received:\n" + table);
        assertTrue(table.matches("(?s).*→ n\\d(,n\\d)? AppendEntries t\\d.*"), "entries are sent:\n" + table);
        assertTrue(table.contains("commit 0→"), "an entry commits:\n" + table);
        assertTrue(table.contains("submit #1"), table);
        assertTrue(recorder.events().stream().noneMatch(TraceEvent::isQuiet), "quiet ticks are left out");
    }

    @Test
    void theDiagramDrawsMessagesBetweenLifelinesAndNotesTheLeaderAndCommits() {
        TraceRecorder recorder = electAndCommit(11);
        String puml = recorder.plantUml("seed 11", NODES);
        assertTrue(puml.startsWith("@startuml\n") && puml.endsWith("@enduml\n"), puml);
        for (String id : NODES) {
            assertTrue(puml.contains("participant \"" + id + "\""), puml);
        }
        assertTrue(puml.matches("(?s).*\"n\\d\" -> \"n\\d\" : \\d+ ms: VoteReq t1.*"), puml);
        assertTrue(puml.matches("(?s).*\"n\\d\" -> \"n\\d\" : \\d+ ms: AppendEntries t\\d.*"), puml);
        assertTrue(puml.matches("(?s).*note over \"n\\d\" #AAFFAA : LEADER term \\d.*"), puml);
        assertTrue(puml.contains("commit 0→"), puml);
    }

    @Test
    void aViolationShowsThePerNodeTableUpToTheFailingStep() {
        Simulation sim = Simulation.builder(11)
                .readyObserver((node, now, ready, status) -> {
                    if (status.role() == Role.LEADER) {
                        throw new IllegalStateException("planted failure: " + node + " leads");
                    }
                })
                .build();
        InvariantViolation v = assertThrows(InvariantViolation.class,
                () -> sim.runUntil(() -> sim.leader().isPresent(), 5_000));
        String report = v.getMessage();
        assertTrue(report.contains("planted failure"), report);
        assertTrue(report.contains("seed: 11"), report);
        assertTrue(report.matches("(?s).*time ms\\s*\\| n1\\s*\\| n2\\s*\\| n3\n.*"), report);
        String lastRows = report.substring(report.lastIndexOf("VoteReq"));
        assertTrue(lastRows.contains("→LEADER"), "the failing step is the last one shown:\n" + report);
    }

    @Test
    void observingARunChangesNothingInIt() {
        long seed = 12; // even: with snapshots
        TraceRecorder recorder = TraceRecorder.last(50);
        RandomFaultScenario.SnapshotResult traced = RandomFaultScenario.run(seed, null, null,
                RandomFaultScenario.Snapshots.ON, recorder);
        RandomFaultScenario.SnapshotResult plain = RandomFaultScenario.run(seed, RandomFaultScenario.Snapshots.ON);
        assertEquals(plain, traced);
        assertEquals(50, recorder.events().size());
        assertTrue(recorder.seen() > 50);
    }

    @Test
    void traceMainPrintsTheTableAndWritesTheDiagram() throws Exception {
        Path puml = Files.createTempFile("trace", ".puml");
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            TraceMain.Options options = TraceMain.Options.parse(new String[] {"3", "--steps", "40", "--puml",
                puml.toString(), "--snapshots", "off"});
            int status = TraceMain.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, out);
            assertTrue(out.startsWith("seed 3 (snapshots off) passed: "), out);
            assertTrue(out.contains("the first 40 of "), out);
            assertTrue(out.matches("(?s).*time ms\\s*\\| n1\\s*\\| n2\\s*\\| n3.*"), out);
            String diagram = Files.readString(puml);
            assertTrue(diagram.startsWith("@startuml") && diagram.contains(" -> "), diagram);
        } finally {
            Files.deleteIfExists(puml);
        }
    }

    @Test
    void observingARunWithMembershipChangesChangesNothingInIt() {
        long seed = 21;
        TraceRecorder recorder = TraceRecorder.last(50);
        RandomFaultScenario.MembershipResult traced = RandomFaultScenario.runWithMembershipChanges(seed,
                RandomFaultScenario.Snapshots.OFF, recorder);
        assertEquals(RandomFaultScenario.runWithMembershipChanges(seed, RandomFaultScenario.Snapshots.OFF, false),
                traced);
        assertEquals(50, recorder.events().size());
    }

    @Test
    void traceMainTracesARunWithMembershipChanges() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TraceMain.Options options = TraceMain.Options.parse(new String[] {"21", "--membership", "--steps", "400",
            "--snapshots", "off"});
        int status = TraceMain.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.startsWith("seed 21 (snapshots off, membership changes) passed: "), out);
        assertTrue(out.contains(" changes proposed, "), out);
        assertTrue(out.contains("** JOIN"), "a joining node shows: " + out);
        assertTrue(out.contains("| n4 "), "a joining node gets a column: " + out);
        assertTrue(out.matches("(?s).*voters n\\d.*→.*"), "configuration changes show: " + out);
    }

    @Test
    void traceMainRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TraceMain.Options.parse(new String[] {}));
        assertThrows(IllegalArgumentException.class, () -> TraceMain.Options.parse(new String[] {"1", "--steps"}));
        assertThrows(IllegalArgumentException.class, () -> TraceMain.Options.parse(new String[] {"1", "--x"}));
        assertThrows(IllegalArgumentException.class,
                () -> TraceMain.Options.parse(new String[] {"1", "--snapshots", "maybe"}));
        assertEquals(RandomFaultScenario.sweepMode(8), TraceMain.Options.parse(new String[] {"8"}).snapshots());
        assertFalse(TraceMain.Options.parse(new String[] {"8"}).membership());
    }
}
