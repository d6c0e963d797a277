package io.raftbus.sqlite.example;

import io.raftbus.engine.session.SessionStore;
import io.raftbus.engine.session.StoredSessions;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.sqlite.SqliteLog;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Child process of {@link LedgerSessionCrashTest}: opens the node's log and ledger with client sessions, appends the
 * {@link LedgerSessionScript} if the log is empty, and applies every entry not yet applied, printing
 * {@code <index> <reply>} for each — halting the JVM on the spot (no rollback, no close) inside the transaction of
 * entry {@code haltAt}, after the session table and the ledger were updated and before the table's rows and the
 * commit. Arguments: the database path and {@code haltAt} (0: never halt).
 */
public final class LedgerSessionCrashMain {

    /** Exit status of a deliberate halt. */
    public static final int HALTED = 42;

    private LedgerSessionCrashMain() {
    }

    public static void main(String[] args) {
        long haltAt = Long.parseLong(args[1]);
        SqliteLog log = SqliteLog.open(Path.of(args[0]), "bank", "n1");
        LedgerStateMachine ledger = new LedgerStateMachine(log);
        LedgerSessionScript.appendTo(log);
        LedgerSessionScript.applyRemaining(log, LedgerSessionScript.sessions(new Halting(ledger, haltAt)),
                Long.MAX_VALUE, (index, reply) -> {
                    System.out.println(index + " " + reply);
                    System.out.flush();
                });
        log.close();
    }

    /** The ledger, halting the JVM inside the transaction of entry {@code haltAt}. */
    private record Halting(LedgerStateMachine ledger, long haltAt) implements StateMachine, SessionStore {

        @Override
        public byte[] apply(long index, byte[] command) {
            throw new UnsupportedOperationException("entries go through applyWithSessions");
        }

        @Override
        public long lastAppliedIndex() {
            return ledger.lastAppliedIndex();
        }

        @Override
        public StoredSessions loadSessions() {
            return ledger.loadSessions();
        }

        @Override
        public void applyWithSessions(long index, Step step) {
            ledger.applyWithSessions(index, application -> {
                var changes = step.run(application);
                if (index == haltAt) {
                    Runtime.getRuntime().halt(HALTED);
                }
                return changes;
            });
        }

        @Override
        public void restoreWithSessions(SnapshotInfo snapshot, InputStream application, StoredSessions sessions) {
            throw new UnsupportedOperationException();
        }
    }
}
