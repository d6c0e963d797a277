package io.raftbus.sqlite;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.testing.TestDeadlines;
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
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILLs a child JVM that writes to the log (see {@link CrashWorkloadMain}) at random moments, {@code
 * -Dcrash.kills} times (24 by default), and after each kill checks the file: every acknowledged entry and the last
 * acknowledged term and vote are there, and the write in flight is either entirely there or not at all.
 */
class SqliteLogCrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLogCrashTest.class);
    private static final int KILLS = Integer.getInteger("crash.kills", 24);
    private static final long SEED = Long.getLong("crash.seed", 20261124L);

    @TempDir
    Path dir;

    /** What the log must hold: index to term, and the hard state. */
    private record Durable(TreeMap<Long, Long> terms, HardState hardState) {

        Durable after(String op) {
            String[] f = op.split(" ");
            TreeMap<Long, Long> t = new TreeMap<>(terms);
            HardState h = hardState;
            switch (f[0]) {
                case "VOTE" -> h = new HardState(Long.parseLong(f[1]), "-".equals(f[2]) ? null : f[2]);
                case "TRUNC" -> t.tailMap(Long.parseLong(f[1]), true).clear();
                case "APPEND" -> {
                    for (long i = Long.parseLong(f[1]); i <= Long.parseLong(f[2]); i++) {
                        t.put(i, Long.parseLong(f[3]));
                    }
                }
                default -> throw new IllegalArgumentException(op);
            }
            return new Durable(t, h);
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path db = dir.resolve("node.db");
        Path stderr = dir.resolve("child.err");
        Random random = new Random(SEED);
        Durable acknowledged = new Durable(new TreeMap<>(), HardState.INITIAL);
        int totalAcks = 0;
        int inFlightFound = 0;
        int inFlightAbsent = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Process child = ChildJvm.start(CrashWorkloadMain.class, stderr, db.toString(),
                    String.valueOf(random.nextLong()));
            child.getOutputStream().close();
            // a watchdog against a hung child, far beyond its normal run
            CompletableFuture.runAsync(child::destroyForcibly, CompletableFuture.delayedExecutor(
                    TestDeadlines.seconds(120).toMillis(), TimeUnit.MILLISECONDS));
            int killAfterLines = 1 + random.nextInt(160);
            int lines = 0;
            boolean killed = false;
            String pending = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (!line.endsWith(" END")) {
                        continue; // cut short by the kill: the call it announces had not returned
                    }
                    String op = line.substring(line.indexOf(' ') + 1, line.length() - " END".length());
                    if (line.startsWith("BEGIN ")) {
                        pending = op;
                    } else {
                        acknowledged = acknowledged.after(op);
                        pending = null;
                        totalAcks++;
                    }
                    if (++lines == killAfterLines) {
                        // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves stdout open, so
                        // the acknowledgements already in the pipe are still read
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                }
            }
            child.waitFor();
            if (!killed) {
                fail("child ended on its own after " + lines + " lines (kill " + kill + "): "
                        + Files.readString(stderr));
            }
            Durable found = check(db, acknowledged, pending, kill);
            if (pending != null) {
                inFlightFound += found.equals(acknowledged) ? 0 : 1;
                inFlightAbsent += found.equals(acknowledged) ? 1 : 0;
            }
            acknowledged = found;
        }
        LOG.info("{} kills, {} acknowledged writes; the write in flight was found whole {} times, absent {} times",
                KILLS, totalAcks, inFlightFound, inFlightAbsent);
        assertTrue(totalAcks > KILLS, "the children acknowledged only " + totalAcks + " writes");
    }

    /** The on-disk state must be the acknowledged one, possibly plus the whole write that was in flight. */
    private static Durable check(Path db, Durable acknowledged, String pending, int kill) throws IOException {
        try (SqliteLog log = SqliteLog.open(db, CrashWorkloadMain.CLUSTER, CrashWorkloadMain.NODE)) {
            TreeMap<Long, Long> terms = new TreeMap<>();
            if (log.lastIndex() > 0) {
                for (LogEntry e : log.read(1, log.lastIndex() + 1, Long.MAX_VALUE)) {
                    assertArrayEquals(CrashWorkloadMain.payload(e.index(), e.term()), e.payload(),
                            "payload of entry " + e.index());
                    terms.put(e.index(), e.term());
                }
            }
            Durable found = new Durable(terms, log.loadHardState());
            if (found.equals(acknowledged)) {
                return found;
            }
            if (pending != null && found.equals(acknowledged.after(pending))) {
                return found;
            }
            return fail("after kill " + kill + " the log holds " + describe(found) + " but the acknowledged state is "
                    + describe(acknowledged) + " (write in flight: " + pending + ")");
        }
    }

    private static String describe(Durable d) {
        return d.hardState() + " entries " + (d.terms().isEmpty() ? "[]" : "[1.." + d.terms().lastKey() + "] terms "
                + Arrays.toString(d.terms().values().stream().distinct().toArray()));
    }
}
