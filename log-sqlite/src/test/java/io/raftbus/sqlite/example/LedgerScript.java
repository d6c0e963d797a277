package io.raftbus.sqlite.example;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fixed sequence of ledger commands, with a plain in-memory model of the balances it should produce, and the
 * "runtime" part the tests play: appending commands to the log and applying committed entries in order.
 */
final class LedgerScript {

    static final List<LedgerCommand> COMMANDS = List.of(
            LedgerCommand.open("alice"),
            LedgerCommand.open("bob"),
            LedgerCommand.deposit("alice", 100),
            LedgerCommand.withdraw("alice", 30),
            LedgerCommand.withdraw("bob", 10), // refused: overdraft
            LedgerCommand.deposit("bob", 50),
            LedgerCommand.withdraw("alice", 80), // refused: 70 left
            LedgerCommand.withdraw("alice", 70),
            LedgerCommand.withdraw("bob", 50),
            LedgerCommand.open("alice"), // refused: exists
            LedgerCommand.deposit("carol", 5), // refused: no account
            LedgerCommand.deposit("bob", 7));

    private LedgerScript() {
    }

    /** The balances after applying the first {@code count} commands. */
    static Map<String, Long> expectedBalances(int count) {
        Map<String, Long> balances = new TreeMap<>();
        for (LedgerCommand cmd : COMMANDS.subList(0, count)) {
            Long balance = balances.get(cmd.account());
            switch (cmd.action()) {
                case OPEN -> balances.putIfAbsent(cmd.account(), 0L);
                case DEPOSIT -> {
                    if (balance != null) {
                        balances.put(cmd.account(), balance + cmd.amount());
                    }
                }
                case WITHDRAW -> {
                    if (balance != null && balance >= cmd.amount()) {
                        balances.put(cmd.account(), balance - cmd.amount());
                    }
                }
            }
        }
        return balances;
    }

    /** Appends the script to an empty log, as the leader's replication would (all in term 1). */
    static void appendTo(SqliteLog log) {
        if (log.lastIndex() > 0) {
            return;
        }
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < COMMANDS.size(); i++) {
            entries.add(new LogEntry(i + 1, 1, EntryType.COMMAND, COMMANDS.get(i).encode()));
        }
        log.append(entries);
    }

    /** Applies every entry after the state machine's last applied index, as the node's runtime does. */
    static void applyRemaining(SqliteLog log, LedgerStateMachine ledger) {
        for (long i = ledger.lastAppliedIndex() + 1; i <= log.lastIndex(); i++) {
            ledger.apply(i, log.read(i, i + 1, Long.MAX_VALUE).get(0).payload());
        }
    }
}
