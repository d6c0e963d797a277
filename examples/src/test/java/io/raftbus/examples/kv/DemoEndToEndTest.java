package io.raftbus.examples.kv;

import io.raftbus.engine.testing.Await;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo as a script sees it: a real embedded Kafka broker, three nodes with SQLite logs, commands on standard
 * input, one output line per command (one per node for status).
 */
class DemoEndToEndTest {

    private static final Duration COMMAND_TIMEOUT = TestDeadlines.seconds(10);
    /** Output must come within the command timeout plus time to start the broker and elect a leader. */
    private static final Duration LINE_DEADLINE = TestDeadlines.seconds(60).plus(COMMAND_TIMEOUT);

    @Test
    void aPipedScriptPrintsOneLinePerCommandAndExitsZero(@TempDir Path dataDir) throws IOException {
        String script = String.join("\n",
                "put a 1",
                "get a",
                "cas a 1 2",
                "cas a 1 3",
                "get a",
                "del a",
                "get a",
                "frobnicate",
                "put a",
                "",
                "# a comment",
                "put greeting \"hello world\"",
                "get greeting",
                "status") + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
            exit = DemoMode.run(new Invocation.Demo(dataDir), new BufferedReader(new StringReader(script)), out, err,
                    false, COMMAND_TIMEOUT);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exit, () -> "stderr: " + errors);
        assertEquals(List.of(
                "OK a = 1",
                "OK a = 1",
                "OK a = 2",
                "CAS_FAILED a = 2",
                "OK a = 2",
                "OK a deleted",
                "NOT_FOUND a"), lines.subList(0, 7), lines::toString);
        assertTrue(lines.get(7).startsWith("ERROR unknown command 'frobnicate'"), lines::toString);
        assertTrue(lines.get(8).startsWith("ERROR missing argument; usage: put KEY VALUE"), lines::toString);
        assertEquals(List.of("OK greeting = hello world", "OK greeting = hello world"), lines.subList(9, 11));
        List<String> status = lines.subList(11, lines.size());
        assertStatusOfThreeNodesWithOneLeader(status);
        assertTrue(Files.exists(dataDir.resolve("n1.db")) && Files.exists(dataDir.resolve("n2.db"))
                && Files.exists(dataDir.resolve("n3.db")), "a SQLite log per node under --data");

        assertEquals(List.of("OK greeting = hello world", "NOT_FOUND a"), runScript(dataDir, "get greeting\nget a\n"),
                "a second run on the same --data directory rebuilds the state from the logs");
    }

    private static List<String> runScript(Path dataDir, String script) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, DemoMode.run(new Invocation.Demo(dataDir), new BufferedReader(new StringReader(script)),
                    out, System.err, false, COMMAND_TIMEOUT));
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aKilledFollowerCatchesUpAfterRestartAndAKilledLeaderIsReplaced(@TempDir Path dataDir) throws Exception {
        try (Session demo = new Session(dataDir)) {
            assertEquals("OK a = 1", demo.command("put a 1"));
            List<String> status = demo.status();
            assertStatusOfThreeNodesWithOneLeader(status);
            String follower = follower(status);

            assertEquals("OK " + follower + " killed", demo.command("kill " + follower));
            assertTrue(demo.status().contains(follower + "  DOWN"), "status shows the killed node down");
            assertEquals("OK b = 2", demo.command("put b 2"));
            assertEquals("OK a = 1", demo.command("get a"));
            assertTrue(demo.command("kill " + follower).startsWith("ERROR " + follower + " is already down"));

            assertEquals("OK " + follower + " restarted", demo.command("restart " + follower));
            assertEquals("OK c = 3", demo.command("put c 3"));
            awaitCaughtUp(demo, follower);
            assertEquals("OK b = 2", demo.command("get b"));

            String leader = demo.status().stream().filter(l -> l.contains(" LEADER ")).findFirst()
                    .orElseThrow().split("\\s+")[0];
            assertEquals("OK " + leader + " killed", demo.command("kill " + leader));
            assertEquals("OK d = 4", demo.command("put d 4"), "the put waits for the next leader");
            assertEquals(0, demo.finish());
        }
    }

    @Test
    void aStoppedLeaderHandsLeadershipOverFirst(@TempDir Path dataDir) throws Exception {
        try (Session demo = new Session(dataDir)) {
            assertEquals("OK a = 1", demo.command("put a 1"));
            String leaderLine = demo.status().stream().filter(l -> l.contains(" LEADER ")).findFirst().orElseThrow();
            String leader = leaderLine.split("\\s+")[0];

            String stopped = demo.command("stop " + leader);
            assertTrue(stopped.matches("OK " + leader + " stopped; n\\d leads"), stopped);
            String successor = stopped.substring(stopped.indexOf("; ") + 2, stopped.indexOf(" leads"));
            assertNotEquals(leader, successor, stopped);
            // the two nodes left keep serving; whether the successor still leads when status runs is up to the
            // machine's load (a starved follower may start another election), so it is not asserted
            assertEquals("OK b = 2", demo.command("put b 2"));
            assertEquals(0, demo.finish());
        }
    }

    @Test
    void aPartitionedFollowerIsCutOffAndCatchesUpAfterHeal(@TempDir Path dataDir) throws Exception {
        try (Session demo = new Session(dataDir)) {
            assertEquals("OK a = 1", demo.command("put a 1"));
            String follower = follower(demo.status());
            assertEquals("OK " + follower + " partitioned", demo.command("partition " + follower));
            assertEquals("OK a = 2", demo.command("put a 2"));
            String cutOff = demo.status().stream().filter(l -> l.startsWith(follower + " ")).findFirst().orElseThrow();
            assertTrue(cutOff.endsWith("partitioned"), cutOff);
            assertEquals("OK " + follower + " healed", demo.command("heal " + follower));
            awaitCaughtUp(demo, follower);
            assertEquals("OK a = 2", demo.command("get a"));
            assertEquals(0, demo.finish());
        }
    }

    @Test
    void aSnapshotOnDemandIsWhatARestartedNodeLoads(@TempDir Path dataDir) throws Exception {
        assumeTrue(sqliteLogCompacts(), "SqliteLog cannot compact here: the demo's nodes run without snapshots");
        try (Session demo = new Session(dataDir)) {
            assertEquals("OK a = 1", demo.command("put a 1"));
            assertEquals("OK b = 2", demo.command("put b 2"));
            String follower = follower(demo.status());
            awaitCaughtUp(demo, follower);

            String taken = demo.command("snapshot " + follower);
            assertTrue(taken.matches("OK " + follower + " snapshot at index \\d+ \\(\\d+ bytes\\); log from \\d+"),
                    taken);
            long index = Long.parseLong(taken.split("\\s+")[5]);
            assertEquals(index, field(line(demo.status(), follower), "snap"));
            assertTrue(Files.isDirectory(dataDir.resolve(follower + ".snapshots")));

            assertEquals("OK " + follower + " killed", demo.command("kill " + follower));
            assertEquals("OK c = 3", demo.command("put c 3"));
            assertEquals("OK " + follower + " restarted", demo.command("restart " + follower));
            assertEquals(index, field(line(demo.status(), follower), "snap"), "restarted on its snapshot");
            awaitCaughtUp(demo, follower);
            assertEquals(0, demo.finish());
        }
    }

    /**
     * Issue 9's acceptance, run from the repository's script as a user runs it: n3 stops, 200 puts, n1 and n2
     * snapshot (their logs now begin past n3's last index), n3 restarts and is caught up by the leader's snapshot.
     * Asserted: n3 loaded one of those snapshots, and its state holds every acknowledged write.
     */
    @Test
    void aRestartedNodeFarBehindIsCaughtUpBySnapshotInTheScriptedDemo(@TempDir Path dataDir) throws IOException {
        assumeTrue(sqliteLogCompacts(), "SqliteLog cannot compact here: the demo's nodes run without snapshots");
        Path scriptFile = Path.of("scripts", "catch-up-by-snapshot.txt");
        assertTrue(Files.isRegularFile(scriptFile), "run from the examples module: " + scriptFile.toAbsolutePath());
        List<String> script = Files.readAllLines(scriptFile, StandardCharsets.UTF_8);
        Map<String, String> acknowledgedPuts = new LinkedHashMap<>();
        for (String command : script) {
            String[] words = command.split(" ");
            if (words[0].equals("put")) {
                acknowledgedPuts.put(words[1], words[2]); // checked below: every put answered OK
            }
        }
        assertTrue(acknowledgedPuts.size() >= 200, "a few hundred commands while n3 is down");

        AtomicReference<Map<String, String>> n3State = new AtomicReference<>();
        AtomicReference<NodeView> n3View = new AtomicReference<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, DemoMode.run(new Invocation.Demo(dataDir),
                    new BufferedReader(new StringReader(String.join("\n", script) + "\n")), out, System.err, false,
                    COMMAND_TIMEOUT, cluster -> {
                        n3State.set(cluster.stateMachine("n3").orElseThrow().snapshot());
                        n3View.set(view(cluster.status(), "n3"));
                    }));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("ERROR")), lines::toString);
        long putsAnswered = lines.stream().filter(l -> l.matches("OK \\S+ = \\S+")).count();
        assertEquals(acknowledgedPuts.size() + 1, putsAnswered, "every put answered OK, and the get: " + lines);

        int at = indexOfFirst(lines, "OK n3 stopped");
        long n3LastBeforeStop = field(line(lines.subList(at - 3, at), "n3"), "last");
        List<Long> snapshotIndexes = new ArrayList<>();
        for (String node : List.of("n1", "n2")) {
            String taken = lines.get(indexOfFirst(lines, "OK " + node + " snapshot at index "));
            String[] words = taken.split("\\s+");
            snapshotIndexes.add(Long.parseLong(words[5]));
            long logFrom = Long.parseLong(words[words.length - 1]);
            assertTrue(logFrom > n3LastBeforeStop + 1, node + "'s log begins past n3's last index "
                    + n3LastBeforeStop + ": " + taken);
        }
        String waited = lines.get(indexOfFirst(lines.subList(at, lines.size()), "OK n3 applied=") + at);
        long n3Snapshot = Long.parseLong(waited.substring(waited.indexOf("snap=") + 5));
        assertTrue(snapshotIndexes.contains(n3Snapshot), "n3 installed n1's or n2's snapshot " + snapshotIndexes
                + ": " + waited);
        assertEquals("OK k123 = v123", lines.get(lines.size() - 2), "a key written while n3 was down");
        assertEquals("bye", lines.get(lines.size() - 1));

        assertTrue(n3View.get().status().snapshotIndex() > 0 && n3View.get().status().firstLogIndex() > 1,
                "n3 runs on a snapshot: " + n3View.get());
        for (Map.Entry<String, String> put : acknowledgedPuts.entrySet()) {
            assertEquals(put.getValue(), n3State.get().get(put.getKey()), "n3 holds acknowledged " + put);
        }
    }

    /**
     * Issue 10's demo, run from the repository's script: n4 and n5 join (empty logs) and become voters, n1 and n2 are
     * removed (the leader among them, if it is one, hands leadership over), and every value written before, between
     * and after the changes is read back and held by the nodes that joined.
     */
    @Test
    void aClusterGrownToFiveAndShrunkToThreeKeepsEveryValueInTheScriptedDemo(@TempDir Path dataDir)
            throws IOException {
        Path scriptFile = Path.of("scripts", "grow-and-shrink.txt");
        assertTrue(Files.isRegularFile(scriptFile), "run from the examples module: " + scriptFile.toAbsolutePath());
        List<String> script = Files.readAllLines(scriptFile, StandardCharsets.UTF_8);
        Map<String, String> puts = new LinkedHashMap<>();
        for (String command : script) {
            String[] words = command.split(" ");
            if (words[0].equals("put")) {
                puts.put(words[1], words[2]);
            }
        }
        Map<String, Map<String, String>> states = new LinkedHashMap<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, DemoMode.run(new Invocation.Demo(dataDir),
                    new BufferedReader(new StringReader(String.join("\n", script) + "\n")), out, System.err, false,
                    COMMAND_TIMEOUT, cluster -> {
                        for (String node : List.of("n3", "n4", "n5")) {
                            states.put(node, cluster.stateMachine(node).orElseThrow().snapshot());
                        }
                    }));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("ERROR")), lines::toString);
        assertTrue(lines.contains("OK n4 is a voter; voters n1,n2,n3,n4"), lines::toString);
        assertTrue(lines.contains("OK n5 is a voter; voters n1,n2,n3,n4,n5"), lines::toString);
        String removedN1 = lines.get(indexOfFirst(lines, "OK n1 removed"));
        assertTrue(removedN1.matches("OK n1 removed and stopped; voters n2,n3,n4,n5; n[2-5] leads"), removedN1);
        String removedN2 = lines.get(indexOfFirst(lines, "OK n2 removed"));
        assertTrue(removedN2.matches("OK n2 removed and stopped; voters n3,n4,n5; n[3-5] leads"), removedN2);

        int grown = indexOfFirst(lines, "OK c = 3") + 1;
        List<String> fiveVoters = lines.subList(grown, grown + 5);
        assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), fiveVoters.stream().map(l -> l.split("\\s+")[0]).toList());
        assertTrue(fiveVoters.stream().allMatch(l -> l.endsWith(" voter")), fiveVoters::toString);
        assertEquals(1, fiveVoters.stream().filter(l -> l.contains(" LEADER ")).count(), fiveVoters::toString);

        int shrunk = indexOfFirst(lines, "OK e = 5") + 1;
        List<String> threeVoters = lines.subList(shrunk, shrunk + 5);
        assertEquals(List.of("n1  REMOVED", "n2  REMOVED"), threeVoters.subList(0, 2), threeVoters::toString);
        assertTrue(threeVoters.subList(2, 5).stream().allMatch(l -> l.endsWith(" voter")), threeVoters::toString);
        assertEquals(1, threeVoters.stream().filter(l -> l.contains(" LEADER ")).count(), threeVoters::toString);

        int reads = shrunk + 5;
        assertEquals(puts.entrySet().stream().map(p -> "OK " + p.getKey() + " = " + p.getValue()).toList(),
                lines.subList(reads, reads + puts.size()), "every value written is read back");
        assertTrue(lines.get(reads + puts.size()).startsWith("OK n4 applied="), lines::toString);
        assertTrue(lines.get(reads + puts.size() + 1).startsWith("OK n5 applied="), lines::toString);
        for (Map.Entry<String, Map<String, String>> state : states.entrySet()) {
            assertEquals(puts, state.getValue(), state.getKey() + " holds every acknowledged write");
        }
    }

    @Test
    void aRemovedLeaderHandsOverAndTheLastVoterCannotBeRemoved(@TempDir Path dataDir) throws Exception {
        try (Session demo = new Session(dataDir)) {
            assertEquals("OK a = 1", demo.command("put a 1"));
            String leader = leader(demo);
            String removed = demo.command("remove " + leader);
            assertTrue(removed.matches("OK " + leader + " removed and stopped; voters n\\d,n\\d; n\\d leads"), removed);
            assertTrue(!removed.endsWith(leader + " leads"), "leadership passed on: " + removed);
            assertEquals("OK b = 2", demo.command("put b 2"));
            List<String> status = demo.status();
            assertTrue(status.contains(leader + "  REMOVED"), status::toString);
            assertTrue(demo.command("add " + leader).startsWith("ERROR " + leader + " was removed from the cluster"));
            assertTrue(demo.command("restart " + leader).startsWith("ERROR " + leader + " was removed"));
            assertTrue(demo.command("remove n9").startsWith("ERROR no node n9"));

            String second = leader(demo);
            assertTrue(demo.command("remove " + second).startsWith("OK " + second + " removed and stopped"));
            String last = leader(demo);
            assertEquals("ERROR cannot remove " + last + ", the last voter", demo.command("remove " + last));
            assertEquals("OK a = 1", demo.command("get a"));
            assertEquals(0, demo.finish());
        }
    }

    /** The node that leads, waiting (bounded) for one: right after a hand-over there may be none for a moment. */
    private static String leader(Session demo) {
        return Await.value("a leader", () -> demo.status().stream().filter(l -> l.contains(" LEADER ")).findFirst()
                .map(l -> l.split("\\s+")[0]).orElse(null), LINE_DEADLINE);
    }

    private static int indexOfFirst(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    private static NodeView view(List<NodeView> views, String nodeId) {
        return views.stream().filter(v -> v.nodeId().equals(nodeId)).findFirst().orElseThrow();
    }

    /** Whether this build's SqliteLog compacts (the demo's nodes then take snapshots). */
    private static boolean sqliteLogCompacts() throws IOException {
        Path probe = Files.createTempDirectory("sqlite-probe");
        try (SqliteLog log = SqliteLog.open(probe.resolve("probe.db"), "probe", "n1")) {
            return KvNode.canCompact(log);
        } finally {
            try (var files = Files.walk(probe)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String line(List<String> status, String nodeId) {
        return status.stream().filter(l -> l.startsWith(nodeId + " ")).findFirst().orElseThrow();
    }

    /** Polls {@code status} until {@code nodeId} has applied everything the leader committed. */
    private static void awaitCaughtUp(Session demo, String nodeId) {
        Await.until(nodeId + " applied everything the leader committed", () -> {
            List<String> status = demo.status();
            String leaderLine = status.stream().filter(l -> l.contains(" LEADER ")).findFirst().orElse(null);
            String nodeLine = status.stream().filter(l -> l.startsWith(nodeId + " ")).findFirst().orElseThrow();
            return leaderLine != null && !nodeLine.endsWith("partitioned")
                    && field(nodeLine, "applied") >= field(leaderLine, "commit");
        }, LINE_DEADLINE);
    }

    private static String follower(List<String> status) {
        return status.stream().filter(l -> !l.contains(" LEADER ") && !l.endsWith("DOWN")).findFirst()
                .orElseThrow(() -> new AssertionError("no follower in " + status)).split("\\s+")[0];
    }

    private static long field(String statusLine, String name) {
        for (String word : statusLine.split("\\s+")) {
            if (word.startsWith(name + "=")) {
                return Long.parseLong(word.substring(name.length() + 1));
            }
        }
        return -1;
    }

    private static void assertStatusOfThreeNodesWithOneLeader(List<String> status) {
        assertEquals(3, status.size(), status::toString);
        assertEquals(List.of("n1", "n2", "n3"), status.stream().map(l -> l.split("\\s+")[0]).toList());
        assertEquals(1, status.stream().filter(l -> l.contains(" LEADER ")).count(), status::toString);
        // the others follow; on a starved machine one may be briefly between heartbeats in PRE_CANDIDATE
        assertEquals(2, status.stream().filter(l -> l.contains(" FOLLOWER ") || l.contains(" PRE_CANDIDATE "))
                .count(), status::toString);
    }

    /** The demo in piped mode, fed one line at a time so the test can react to its output. */
    private static final class Session implements AutoCloseable {
        private final PipedWriter input = new PipedWriter();
        private final LineQueueOutputStream output = new LineQueueOutputStream();
        private final CompletableFuture<Integer> exit;

        Session(Path dataDir) throws IOException {
            PipedReader reader = new PipedReader(input);
            PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
            exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return DemoMode.run(new Invocation.Demo(dataDir), new BufferedReader(reader), out, System.err,
                            false, COMMAND_TIMEOUT);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
        }

        String command(String line) throws IOException, InterruptedException {
            send(line);
            return output.nextLine(LINE_DEADLINE);
        }

        List<String> status() {
            send("status");
            List<String> lines = new ArrayList<>();
            try {
                for (int i = 0; i < DemoMode.NODE_IDS.size(); i++) {
                    lines.add(output.nextLine(LINE_DEADLINE));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return lines;
        }

        private void send(String line) {
            try {
                input.write(line + "\n");
                input.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the demo stopped reading its input", e);
            }
        }

        int finish() throws Exception {
            input.close();
            int code = exit.get(LINE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(!output.hasLine(), "no output after the last command");
            return code;
        }

        @Override
        public void close() throws Exception {
            input.close();
            exit.get(LINE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
