package io.raftbus.sqlite;

import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotMeta;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.sqlite.example.LedgerStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILLs a child JVM that appends, applies, takes and restores snapshots, compacts and installs snapshots on a
 * {@link SqliteLog} with a state machine in the same file (see {@link SnapshotCrashWorkloadMain}), at random
 * moments (every other time as a step of compaction, installation, restore or snapshot writing begins),
 * {@code -Dcrash.kills} times (20 by default). After each kill it checks the files: the log is contiguous
 * from its first index with the acknowledged entries and prefix (plus, at most, the whole write in flight); the
 * state machine's applied index is the acknowledged one (or the one in flight), its tables hold exactly the
 * effects of the entries up to it, once each; and the store holds a snapshot covering the log's compacted prefix.
 */
class SqliteSnapshotCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSnapshotCrashTest.class);
    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final long SEED = Long.getLong("crash.seed", 20261202L);

    @TempDir
    Path dir;

    /** What the log must hold: index to term, the compacted prefix and the current term. */
    private record Durable(TreeMap<Long, Long> terms, SnapshotMeta prefix, long term) {

        boolean changesLog(String op) {
            return op.startsWith("VOTE") || op.startsWith("APPEND") || op.startsWith("TRUNC")
                    || op.startsWith("COMPACT") || op.startsWith("INSTALL");
        }

        Durable after(String op) {
            String[] f = op.split(" ");
            TreeMap<Long, Long> t = new TreeMap<>(terms);
            SnapshotMeta p = prefix;
            long currentTerm = term;
            switch (f[0]) {
                case "VOTE" -> currentTerm = Long.parseLong(f[1]);
                case "TRUNC" -> t.tailMap(Long.parseLong(f[1]), true).clear();
                case "APPEND" -> {
                    for (long i = Long.parseLong(f[1]); i <= Long.parseLong(f[2]); i++) {
                        t.put(i, Long.parseLong(f[3]));
                    }
                }
                case "COMPACT", "INSTALL" -> {
                    long index = Long.parseLong(f[1]);
                    long snapTerm = Long.parseLong(f[2]);
                    if (index > p.index()) {
                        if (f[0].equals("INSTALL") && !Long.valueOf(snapTerm).equals(t.get(index))) {
                            t.clear();
                        } else {
                            t.headMap(index, true).clear();
                        }
                        p = new SnapshotMeta(index, snapTerm);
                    }
                }
                default -> {
                    return this; // applying and snapshots do not change the log
                }
            }
            return new Durable(t, p, currentTerm);
        }
    }

    @Test
    void logStateAndSnapshotsStayConsistentAcrossSigkills() throws Exception {
        Path stderr = dir.resolve("child.err");
        Files.createDirectories(SnapshotCrashWorkloadMain.snapshotDir(dir));
        Random random = new Random(SEED);
        Durable acknowledged = new Durable(new TreeMap<>(), SnapshotMeta.NONE, 0);
        long applied = 0;
        long maxSnapshot = 0;
        Map<String, Integer> acks = new TreeMap<>();
        Map<String, Integer> inFlightAtKill = new TreeMap<>();
        long started = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            Process child = ChildJvm.start(SnapshotCrashWorkloadMain.class, stderr, dir.toString(),
                    String.valueOf(random.nextLong()));
            child.getOutputStream().close();
            CompletableFuture.runAsync(child::destroyForcibly, CompletableFuture.delayedExecutor(
                    TestDeadlines.seconds(120).toMillis(), TimeUnit.MILLISECONDS));
            int killAfterLines = 1 + random.nextInt(120);
            // every other kill waits for a step of snapshots to begin, so that it dies in the middle of one
            String target = random.nextBoolean() ? null
                    : List.of("COMPACT", "INSTALL", "RESTORE", "SNAP").get(random.nextInt(4));
            int lines = 0;
            boolean killed = false;
            String pending = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (!line.endsWith(" END")) {
                        continue; // cut short by the kill
                    }
                    String op = line.substring(line.indexOf(' ') + 1, line.length() - " END".length());
                    if (line.startsWith("BEGIN ")) {
                        pending = op;
                    } else {
                        acknowledged = acknowledged.after(op);
                        String[] f = op.split(" ");
                        switch (f[0]) {
                            case "APPLY" -> applied = Long.parseLong(f[2]);
                            case "RESTORE" -> applied = Long.parseLong(f[1]);
                            case "SNAP" -> maxSnapshot = Math.max(maxSnapshot, Long.parseLong(f[1]));
                            default -> { }
                        }
                        acks.merge(f[0], 1, Integer::sum);
                        pending = null;
                    }
                    boolean onTarget = target == null || line.startsWith("BEGIN " + target)
                            || lines >= killAfterLines + 400;
                    if (++lines >= killAfterLines && !killed && onTarget) {
                        child.toHandle().destroyForcibly(); // SIGKILL; stdout stays readable
                        killed = true;
                    }
                }
            }
            child.waitFor();
            if (!killed) {
                fail("child ended on its own after " + lines + " lines (kill " + kill + "): "
                        + Files.readString(stderr));
            }
            if (pending != null) {
                inFlightAtKill.merge(pending.split(" ")[0], 1, Integer::sum);
            }
            acknowledged = checkLog(acknowledged, pending, kill);
            applied = checkState(acknowledged, applied, pending, maxSnapshot, kill);
            if (pending != null && pending.startsWith("SNAP")) {
                List<Long> snaps = SnapshotCrashWorkloadMain.snapshots(dir);
                maxSnapshot = Math.max(maxSnapshot, snaps.isEmpty() ? 0 : snaps.get(0));
            }
        }
        LOG.info("{} kills in {} s; acknowledged steps {}; steps in flight at the kills {}; log at the end {}, applied {}",
                KILLS, (System.nanoTime() - started) / 1_000_000_000, acks, inFlightAtKill,
                describe(acknowledged), applied);
        assertTrue(acks.getOrDefault("COMPACT", 0) + acks.getOrDefault("INSTALL", 0) > 0, "nothing compacted");
        assertTrue(acks.getOrDefault("RESTORE", 0) > 0, "nothing restored");
    }

    /** The log must be the acknowledged one, possibly plus the whole write that was in flight. */
    private Durable checkLog(Durable acknowledged, String pending, int kill) {
        try (SqliteLog log = SqliteLog.open(dir.resolve("node.db"), SnapshotCrashWorkloadMain.CLUSTER,
                SnapshotCrashWorkloadMain.NODE)) {
            TreeMap<Long, Long> terms = new TreeMap<>();
            long expectedIndex = log.firstIndex();
            if (log.lastIndex() >= log.firstIndex()) {
                for (LogEntry e : log.read(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE)) {
                    assertEquals(expectedIndex++, e.index(), "the log is not contiguous");
                    assertArrayEquals(SnapshotCrashWorkloadMain.command(e.index()).encode(), e.payload(),
                            "payload of entry " + e.index());
                    terms.put(e.index(), e.term());
                }
            }
            assertEquals(log.lastIndex() + 1, expectedIndex);
            SnapshotMeta prefix = log.snapshotMeta();
            assertEquals(prefix.term(), log.termAt(prefix.index()));
            Durable found = new Durable(terms, prefix, log.loadHardState().term());
            if (found.equals(acknowledged)) {
                return found;
            }
            if (pending != null && acknowledged.changesLog(pending) && found.equals(acknowledged.after(pending))) {
                return found;
            }
            return fail("after kill " + kill + " the log holds " + describe(found) + " but the acknowledged state is "
                    + describe(acknowledged) + " (step in flight: " + pending + ")");
        }
    }

    /**
     * The state machine's applied index is the acknowledged one or the one in flight, its tables hold the effects
     * of exactly the entries up to it, and the store holds a snapshot covering the log's prefix.
     */
    private long checkState(Durable log, long applied, String pending, long maxSnapshot, int kill) throws IOException {
        long found;
        try (SqliteLog sqlite = SqliteLog.open(dir.resolve("node.db"), SnapshotCrashWorkloadMain.CLUSTER,
                SnapshotCrashWorkloadMain.NODE)) {
            LedgerStateMachine ledger = new LedgerStateMachine(sqlite);
            found = ledger.lastAppliedIndex();
            String[] f = pending == null ? new String[] {""} : pending.split(" ");
            boolean expected = found == applied
                    || (f[0].equals("APPLY") && found >= applied && found <= Long.parseLong(f[2]))
                    || (f[0].equals("RESTORE") && found == Long.parseLong(f[1]));
            assertTrue(expected, "after kill " + kill + " the state machine applied through " + found
                    + ", acknowledged " + applied + " (step in flight: " + pending + ")");
            assertTrue(found <= sqlite.lastIndex(), "applied " + found + " beyond the log's end " + sqlite.lastIndex());
            Map<Long, Integer> history = ledger.historyCounts();
            assertEquals(LongStream.rangeClosed(1, found).boxed().collect(Collectors.toMap(i -> i, i -> 1)), history,
                    "after kill " + kill + ": every entry up to " + found + " applied once, none after");
            assertEquals(SnapshotCrashWorkloadMain.expectedBalances(found), ledger.balances(),
                    "balances after kill " + kill);
        }
        List<Long> snaps = SnapshotCrashWorkloadMain.snapshots(dir);
        long latest = snaps.isEmpty() ? 0 : snaps.get(0);
        assertTrue(latest >= maxSnapshot, "acknowledged snapshot " + maxSnapshot + " missing: " + snaps);
        assertTrue(latest >= log.prefix().index(), "the log is compacted through " + log.prefix().index()
                + " but the latest snapshot is " + latest);
        // found < prefix is possible (killed between installing a snapshot in the log and restoring the state): the
        // latest snapshot covers the prefix, and the next start restores it
        for (long index : snaps) {
            SqliteStateSnapshot.verify(SnapshotCrashWorkloadMain.snapshotDir(dir).resolve(index + ".snap"), index);
        }
        return found;
    }

    private static String describe(Durable d) {
        return "term " + d.term() + ", prefix " + d.prefix() + ", entries " + (d.terms().isEmpty() ? "[]"
                : "[" + d.terms().firstKey() + ".." + d.terms().lastKey() + "] terms "
                + d.terms().values().stream().distinct().toList());
    }
}
