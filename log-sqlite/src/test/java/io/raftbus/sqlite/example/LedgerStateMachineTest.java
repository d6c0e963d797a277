package io.raftbus.sqlite.example;

import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger's commands, and its applied index committed with its tables. */
class LedgerStateMachineTest {

    @TempDir
    Path dir;

    private SqliteLog open() {
        return SqliteLog.open(dir.resolve("node.db"), "bank", "n1");
    }

    private static String apply(LedgerStateMachine ledger, long index, LedgerCommand cmd) {
        return new String(ledger.apply(index, cmd.encode()), StandardCharsets.UTF_8);
    }

    @Test
    void depositsAndWithdrawalsMoveMoneyAndOverdraftsAreRefused() {
        try (SqliteLog log = open()) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            assertEquals("OK 0", apply(ledger, 1, LedgerCommand.open("alice")));
            assertEquals("OK 100", apply(ledger, 2, LedgerCommand.deposit("alice", 100)));
            assertEquals("OK 60", apply(ledger, 3, LedgerCommand.withdraw("alice", 40)));
            assertEquals("REFUSED insufficient funds: balance 60, asked 61",
                    apply(ledger, 4, LedgerCommand.withdraw("alice", 61)));
            assertEquals("REFUSED no account bob", apply(ledger, 5, LedgerCommand.deposit("bob", 1)));
            assertTrue(new String(ledger.apply(6, "STEAL alice".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8).startsWith("REFUSED not a ledger command"));
            assertEquals(OptionalLong.of(60), ledger.balance("alice"));
            assertEquals(6, ledger.lastAppliedIndex());

            assertEquals("OK 60", new String(ledger.query("alice".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8), "a balance as a read-only query (RaftNode.read)");
            assertEquals("REFUSED no account bob", new String(ledger.query("bob".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8));
            assertEquals(6, ledger.lastAppliedIndex(), "queries change nothing");
        }
    }

    @Test
    void appliedStateAndIndexSurviveARestart() {
        try (SqliteLog log = open()) {
            LedgerScript.appendTo(log);
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            for (int i = 1; i <= 5; i++) {
                ledger.apply(i, LedgerScript.COMMANDS.get(i - 1).encode());
            }
        }
        try (SqliteLog log = open()) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            assertEquals(5, ledger.lastAppliedIndex());
            assertEquals(LedgerScript.expectedBalances(5), ledger.balances());
            LedgerScript.applyRemaining(log, ledger);
            assertEquals(LedgerScript.expectedBalances(LedgerScript.COMMANDS.size()), ledger.balances());
        }
    }

    @Test
    void entriesAreAppliedOnceEachInIncreasingOrder() {
        try (SqliteLog log = open()) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            ledger.apply(2, LedgerCommand.open("alice").encode()); // index 1 was a leader's no-op: not applied
            assertThrows(IllegalStateException.class, () -> ledger.apply(2, LedgerCommand.open("x").encode()));
            assertThrows(IllegalStateException.class, () -> ledger.apply(1, LedgerCommand.open("y").encode()));
            assertEquals(Map.of("alice", 0L), ledger.balances());
            assertEquals(2, ledger.lastAppliedIndex());
            ledger.apply(5, LedgerCommand.open("bob").encode());
            assertEquals(5, ledger.lastAppliedIndex());
        }
    }

    @Test
    void appliedEntriesCannotBeTruncated() {
        try (SqliteLog log = open()) {
            LedgerScript.appendTo(log);
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            ledger.apply(1, LedgerScript.COMMANDS.get(0).encode());
            ledger.apply(2, LedgerScript.COMMANDS.get(1).encode());
            assertThrows(IllegalStateException.class, () -> log.truncateSuffix(2));
            log.truncateSuffix(3);
            assertEquals(2, log.lastIndex());
        }
    }

    @Test
    void aFailureInsideTheTransactionLeavesNeitherTheUpdateNorTheIndex() {
        try (SqliteLog log = open()) {
            LedgerScript.appendTo(log);
            LedgerStateMachine failing = new LedgerStateMachine(log) {
                @Override
                protected byte[] applyInTransaction(Connection c, long index, byte[] command) throws SQLException {
                    byte[] result = super.applyInTransaction(c, index, command);
                    if (index == 4) { // the withdrawal of 30 has updated alice's row: fail before the commit
                        throw new IllegalStateException("crash before commit");
                    }
                    return result;
                }
            };
            assertThrows(IllegalStateException.class, () -> LedgerScript.applyRemaining(log, failing));
            assertEquals(3, failing.lastAppliedIndex());
            assertEquals(LedgerScript.expectedBalances(3), failing.balances());
            assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), failing.historyCounts());

            LedgerStateMachine healthy = new LedgerStateMachine(log);
            LedgerScript.applyRemaining(log, healthy);
            assertEquals(LedgerScript.expectedBalances(LedgerScript.COMMANDS.size()), healthy.balances());
            assertEquals(LedgerScript.COMMANDS.size(), healthy.historyCounts().size());
        }
    }
}
