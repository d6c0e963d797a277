package io.raftbus.sqlite.example;

import io.raftbus.engine.session.SessionStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.sqlite.ChildJvm;
import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client sessions over a durable state machine survive crashes: the ledger's process dies inside an entry's
 * transaction (after the session table and the ledger changed in memory and in the transaction, before the commit)
 * at points across the {@link LedgerSessionScript} — first applications, retries answered from the table, the
 * held-results refusal, acknowledgements, an eviction, a close — and each restart loads the stored table and resumes
 * right after the last applied index. Afterwards every entry got the reply of a run without crashes (a retry the
 * first application's result, never a second application), the ledger applied each first application once, and the
 * stored table after every crash is exactly the table of the entries applied before it.
 */
class LedgerSessionCrashTest {

    @TempDir
    Path dir;

    @Test
    void crashesInsideAnEntrysTransactionNeitherLoseNorRepeatASessionEntry() throws Exception {
        Map<Long, String> expectedReplies = new TreeMap<>();
        List<String> expectedTables = referenceRun(expectedReplies);

        Path db = dir.resolve("node.db");
        Map<Long, String> replies = new TreeMap<>();
        int total = LedgerSessionScript.ENTRIES.size();
        for (int haltAt : List.of(1, 3, 4, 6, 8, 9, 10, 12, 13, 14, 15, 17, total)) {
            assertEquals(LedgerSessionCrashMain.HALTED, runChild(db, haltAt, replies),
                    "child should halt at entry " + haltAt);
            assertStored(db, haltAt - 1, expectedTables.get(haltAt - 1));
        }
        assertEquals(0, runChild(db, 0, replies));
        assertStored(db, total, expectedTables.get(total));
        assertEquals(expectedReplies, replies, "every entry's reply as without crashes");
        assertEquals("OK 100", replies.get(17L).substring("APPLIED 0 ".length()), "the retry's first result");
    }

    /** Runs the script without crashes; returns the stored table after each prefix (index 0: empty). */
    private List<String> referenceRun(Map<Long, String> replies) {
        List<String> tables = new ArrayList<>();
        try (SqliteLog log = SqliteLog.open(dir.resolve("reference.db"), "bank", "n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            SessionStateMachine sm = LedgerSessionScript.sessions(ledger);
            LedgerSessionScript.appendTo(log);
            tables.add(LedgerSessionScript.describe(ledger.loadSessions()));
            for (long i = 1; i <= log.lastIndex(); i++) {
                LedgerSessionScript.applyRemaining(log, sm, i, replies::put);
                tables.add(LedgerSessionScript.describe(ledger.loadSessions()));
                assertEquals(tables.get((int) i), LedgerSessionScript.describe(sm.table().stored()),
                        "stored table = table in memory after " + i);
            }
            assertEquals(Map.of("alice", 100L), ledger.balances());
        }
        return tables;
    }

    private int runChild(Path db, int haltAt, Map<Long, String> replies) throws Exception {
        Process child = ChildJvm.start(LedgerSessionCrashMain.class, dir.resolve("child.err"), db.toString(),
                String.valueOf(haltAt));
        child.getOutputStream().close();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                int space = line.indexOf(' ');
                String earlier = replies.put(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
                assertEquals(null, earlier, "entry applied twice: " + line);
            }
        }
        Duration deadline = TestDeadlines.seconds(120);
        assertTrue(child.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                "child did not finish within " + deadline.toSeconds() + " s");
        return child.exitValue();
    }

    private static void assertStored(Path db, int applied, String expectedTable) {
        try (SqliteLog log = SqliteLog.open(db, "bank", "n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            assertEquals(applied, ledger.lastAppliedIndex());
            SessionStateMachine sm = LedgerSessionScript.sessions(ledger);
            assertEquals(expectedTable, LedgerSessionScript.describe(sm.table().stored()), "table after " + applied);
            Map<Long, Integer> onceEach = new TreeMap<>();
            for (long i : LedgerSessionScript.APPLIED_BY_THE_LEDGER) {
                if (i <= applied) {
                    onceEach.put(i, 1);
                }
            }
            assertEquals(onceEach, ledger.historyCounts(), "each first application applied once by the ledger");
            assertFalse(ledger.historyCounts().containsKey(6L), "the refused command is not applied");
        }
    }
}
