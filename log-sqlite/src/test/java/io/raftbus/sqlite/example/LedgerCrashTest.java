package io.raftbus.sqlite.example;

import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.sqlite.ChildJvm;
import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's process dies inside an entry's transaction — after the withdrawal (or other update) touched the
 * accounts table, before the commit — several times in a row; each restart resumes right after the last applied
 * index. Afterwards the balances are exactly those of applying every command once.
 */
class LedgerCrashTest {

    @TempDir
    Path dir;

    @Test
    void crashesBetweenTableUpdateAndCommitNeitherLoseNorRepeatAnEntry() throws Exception {
        Path db = dir.resolve("node.db");
        int total = LedgerScript.COMMANDS.size();
        // 4 and 8 are successful withdrawals, 5 a refused one, 1 the very first entry, the last one last
        for (int haltAt : List.of(1, 4, 5, 8, total)) {
            assertEquals(LedgerCrashMain.HALTED, runChild(db, haltAt), "child should halt at entry " + haltAt);
            assertState(db, haltAt - 1);
        }
        assertEquals(0, runChild(db, 0));
        assertState(db, total);
    }

    private int runChild(Path db, int haltAt) throws Exception {
        Process child = ChildJvm.start(LedgerCrashMain.class, dir.resolve("child.err"), db.toString(),
                String.valueOf(haltAt));
        child.getOutputStream().close();
        Duration deadline = TestDeadlines.seconds(120);
        assertTrue(child.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS),
                "child did not finish within " + deadline.toSeconds() + " s");
        return child.exitValue();
    }

    private static void assertState(Path db, int applied) {
        try (SqliteLog log = SqliteLog.open(db, "bank", "n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            assertEquals(applied, ledger.lastAppliedIndex());
            assertEquals(LedgerScript.expectedBalances(applied), ledger.balances(), "balances after " + applied);
            Map<Long, Integer> onceEach = new TreeMap<>();
            for (long i = 1; i <= applied; i++) {
                onceEach.put(i, 1);
            }
            assertEquals(onceEach, ledger.historyCounts(), "every applied entry recorded exactly once");
        }
    }
}
