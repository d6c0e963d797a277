package io.raftbus.sqlite.example;

import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteStateMachine;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Example: an account ledger kept in the node's SQLite database. Commands ({@link LedgerCommand}) open an account,
 * deposit, or withdraw (refused when it would overdraw). Each applied entry also lands in a history table, so
 * that "applied exactly once" can be checked by looking at the database.
 *
 * <p>Results are UTF-8 strings: {@code OK <balance>} or {@code REFUSED <reason>}. A refused command is applied
 * like any other (its refusal is the deterministic outcome), so it does not throw.
 */
public class LedgerStateMachine extends SqliteStateMachine {

    /** Creates the ledger's tables in {@code log}'s database if they are missing. */
    public LedgerStateMachine(SqliteLog log) {
        super(log);
        inTransaction("create the ledger tables", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS ledger_accounts (name TEXT PRIMARY KEY,"
                        + " balance INTEGER NOT NULL CHECK (balance >= 0))");
                s.execute("CREATE TABLE IF NOT EXISTS ledger_history (idx INTEGER PRIMARY KEY,"
                        + " command TEXT NOT NULL, result TEXT NOT NULL)");
            }
            return null;
        });
    }

    @Override
    protected byte[] applyInTransaction(Connection c, long index, byte[] command) throws SQLException {
        String result;
        try {
            result = execute(c, LedgerCommand.decode(command));
        } catch (IllegalArgumentException e) {
            result = "REFUSED " + e.getMessage();
        }
        try (PreparedStatement history = c.prepareStatement(
                "INSERT INTO ledger_history (idx, command, result) VALUES (?, ?, ?)")) {
            history.setLong(1, index);
            history.setString(2, new String(command, StandardCharsets.UTF_8));
            history.setString(3, result);
            history.executeUpdate();
        }
        return result.getBytes(StandardCharsets.UTF_8);
    }

    private static String execute(Connection c, LedgerCommand cmd) throws SQLException {
        OptionalLong balance = balance(c, cmd.account());
        switch (cmd.action()) {
            case OPEN -> {
                if (balance.isPresent()) {
                    return "REFUSED account " + cmd.account() + " exists";
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO ledger_accounts (name, balance) VALUES (?, 0)")) {
                    insert.setString(1, cmd.account());
                    insert.executeUpdate();
                }
                return "OK 0";
            }
            case DEPOSIT -> {
                if (balance.isEmpty()) {
                    return "REFUSED no account " + cmd.account();
                }
                return "OK " + setBalance(c, cmd.account(), Math.addExact(balance.getAsLong(), cmd.amount()));
            }
            case WITHDRAW -> {
                if (balance.isEmpty()) {
                    return "REFUSED no account " + cmd.account();
                }
                if (balance.getAsLong() < cmd.amount()) {
                    return "REFUSED insufficient funds: balance " + balance.getAsLong() + ", asked " + cmd.amount();
                }
                return "OK " + setBalance(c, cmd.account(), balance.getAsLong() - cmd.amount());
            }
            default -> throw new IllegalStateException("unknown action " + cmd.action());
        }
    }

    private static long setBalance(Connection c, String account, long balance) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE ledger_accounts SET balance = ? WHERE name = ?")) {
            update.setLong(1, balance);
            update.setString(2, account);
            update.executeUpdate();
        }
        return balance;
    }

    private static OptionalLong balance(Connection c, String account) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT balance FROM ledger_accounts WHERE name = ?")) {
            select.setString(1, account);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * A linearizable read through {@code RaftNode.read}: the query is an account name (UTF-8), the answer
     * {@code OK <balance>} or {@code REFUSED no account <name>}. Nothing is written.
     */
    @Override
    public byte[] query(byte[] query) {
        String account = new String(query, StandardCharsets.UTF_8);
        OptionalLong balance = balance(account);
        return (balance.isPresent() ? "OK " + balance.getAsLong() : "REFUSED no account " + account)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The balance of {@code account}, if it is open. */
    public OptionalLong balance(String account) {
        return query("read the balance of " + account, c -> balance(c, account));
    }

    /** Every account's balance, by name. */
    public Map<String, Long> balances() {
        return query("read the balances", c -> {
            Map<String, Long> out = new TreeMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, balance FROM ledger_accounts")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** How many times each index appears in the history (exactly once for every applied index). */
    public Map<Long, Integer> historyCounts() {
        return query("read the history", c -> {
            Map<Long, Integer> out = new TreeMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT idx, count(*) FROM ledger_history GROUP BY idx")) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getInt(2));
                }
            }
            return out;
        });
    }
}
