package io.raftbus.sqlite.example;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A command of the {@link LedgerStateMachine}, encoded as a short UTF-8 string: {@code OPEN alice},
 * {@code DEPOSIT alice 100}, {@code WITHDRAW alice 30}.
 *
 * @param action what to do
 * @param account the account's name (no spaces)
 * @param amount the amount in the smallest currency unit (0 for {@link Action#OPEN})
 */
public record LedgerCommand(Action action, String account, long amount) {

    /** The ledger's operations. */
    public enum Action { OPEN, DEPOSIT, WITHDRAW }

    public LedgerCommand {
        Objects.requireNonNull(action, "action");
        if (account == null || account.isBlank() || account.contains(" ")) {
            throw new IllegalArgumentException("account must be a non-blank name without spaces, got '" + account
                    + "'");
        }
        if (amount < 0 || (action == Action.OPEN) != (amount == 0)) {
            throw new IllegalArgumentException(action + " needs " + (action == Action.OPEN ? "no" : "a positive")
                    + " amount, got " + amount);
        }
    }

    /** Opens an account with balance 0. */
    public static LedgerCommand open(String account) {
        return new LedgerCommand(Action.OPEN, account, 0);
    }

    /** Adds {@code amount} to the account. */
    public static LedgerCommand deposit(String account, long amount) {
        return new LedgerCommand(Action.DEPOSIT, account, amount);
    }

    /** Takes {@code amount} from the account, refused if the balance is smaller. */
    public static LedgerCommand withdraw(String account, long amount) {
        return new LedgerCommand(Action.WITHDRAW, account, amount);
    }

    /** The command's bytes, as submitted to the node. */
    public byte[] encode() {
        String text = action == Action.OPEN ? action + " " + account : action + " " + account + " " + amount;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses bytes made by {@link #encode()}.
     *
     * @throws IllegalArgumentException if they are not a ledger command
     */
    public static LedgerCommand decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] parts = text.split(" ");
        try {
            Action action = Action.valueOf(parts[0]);
            if (parts.length != (action == Action.OPEN ? 2 : 3)) {
                throw new IllegalArgumentException("wrong number of fields");
            }
            return new LedgerCommand(action, parts[1], action == Action.OPEN ? 0 : Long.parseLong(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a ledger command: '" + text + "' (" + e.getMessage() + ")", e);
        }
    }
}
