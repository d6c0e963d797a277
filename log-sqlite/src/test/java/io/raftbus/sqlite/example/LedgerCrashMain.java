package io.raftbus.sqlite.example;

import io.raftbus.sqlite.SqliteLog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Child process of {@link LedgerCrashTest}: opens the node's log and ledger, appends the script if the log is
 * empty, and applies every entry not yet applied — halting the JVM on the spot (no shutdown hooks, no rollback,
 * no close) inside the transaction of entry {@code haltAt}, after the ledger's tables were updated and before the
 * commit. Arguments: the database path and {@code haltAt} (0: never halt).
 */
public final class LedgerCrashMain {

    /** Exit status of a deliberate halt. */
    public static final int HALTED = 42;

    private LedgerCrashMain() {
    }

    public static void main(String[] args) {
        long haltAt = Long.parseLong(args[1]);
        SqliteLog log = SqliteLog.open(Path.of(args[0]), "bank", "n1");
        LedgerStateMachine ledger = new LedgerStateMachine(log) {
            @Override
            protected byte[] applyInTransaction(Connection c, long index, byte[] command) throws SQLException {
                byte[] result = super.applyInTransaction(c, index, command);
                if (index == haltAt) {
                    Runtime.getRuntime().halt(HALTED);
                }
                return result;
            }
        };
        LedgerScript.appendTo(log);
        LedgerScript.applyRemaining(log, ledger);
        log.close();
    }
}
