package io.raftbus.sqlite.example;

import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.session.SessionLimits;
import io.raftbus.engine.session.SessionReply;
import io.raftbus.engine.session.SessionStateMachine;
import io.raftbus.engine.session.StoredSessions;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A fixed log of session entries over the ledger that exercises every rule of the session table with a durable
 * state machine: registrations, first applications, retries answered from the table, the held-results cap (limits
 * of 2 sessions and 2 held results), acknowledgements, a keep-alive, an eviction by the session cap, a close, and
 * commands of an evicted and a closed session. Log time is stamped as 1,000 ms per index.
 */
final class LedgerSessionScript {

    static final long IDLE_TIMEOUT_MS = 3_600_000;
    static final SessionLimits LIMITS = new SessionLimits(2, 2);

    static final List<byte[]> ENTRIES = List.of(
            SessionEnvelope.register().encode(), // 1: session 1
            SessionEnvelope.register().encode(), // 2: session 2
            cmd(1, 1, 1, LedgerCommand.open("alice")), // 3: OK 0
            cmd(1, 1, 1, LedgerCommand.open("alice")), // 4: retry: OK 0 from the table
            cmd(1, 2, 1, LedgerCommand.deposit("alice", 100)), // 5: OK 100; session 1 holds 2 results
            cmd(1, 3, 1, LedgerCommand.deposit("alice", 1)), // 6: refused, TOO_MANY_UNACKNOWLEDGED
            cmd(2, 1, 1, LedgerCommand.deposit("alice", 5)), // 7: OK 105
            cmd(1, 2, 1, LedgerCommand.deposit("alice", 100)), // 8: retry: OK 100 from the table
            cmd(1, 3, 3, LedgerCommand.deposit("alice", 1)), // 9: acknowledges 1 and 2: OK 106
            SessionEnvelope.keepAlive(2, 2).encode(), // 10: session 2 acknowledges its seq 1
            cmd(2, 1, 1, LedgerCommand.deposit("alice", 5)), // 11: ALREADY_ACKNOWLEDGED
            SessionEnvelope.register().encode(), // 12: session 12, evicts session 1 (least recently active)
            cmd(1, 4, 4, LedgerCommand.deposit("alice", 1_000)), // 13: UNKNOWN_SESSION (evicted)
            cmd(12, 1, 1, LedgerCommand.withdraw("alice", 6)), // 14: OK 100
            SessionEnvelope.close(2).encode(), // 15: CLOSED
            cmd(2, 2, 2, LedgerCommand.deposit("alice", 7)), // 16: UNKNOWN_SESSION (closed)
            cmd(12, 1, 1, LedgerCommand.withdraw("alice", 6)), // 17: retry: OK 100 from the table
            "no session command".getBytes(StandardCharsets.UTF_8)); // 18: MALFORMED

    /** Indexes whose payload reaches the ledger (first applications). */
    static final List<Long> APPLIED_BY_THE_LEDGER = List.of(3L, 5L, 7L, 9L, 14L);

    private LedgerSessionScript() {
    }

    private static byte[] cmd(long session, long seq, long firstUnacked, LedgerCommand command) {
        return SessionEnvelope.command(session, seq, firstUnacked, command.encode()).encode();
    }

    /** A state machine with sessions over {@code ledger}, with the script's settings. */
    static SessionStateMachine sessions(io.raftbus.engine.spi.StateMachine ledger) {
        return new SessionStateMachine(ledger, IDLE_TIMEOUT_MS, LIMITS);
    }

    /** Appends the script, stamped, to an empty log. */
    static void appendTo(SqliteLog log) {
        if (log.lastIndex() > 0) {
            return;
        }
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES.size(); i++) {
            entries.add(new LogEntry(i + 1, 1, EntryType.COMMAND, SessionEnvelope.stamp(ENTRIES.get(i),
                    1_000L * (i + 1))));
        }
        log.append(entries);
    }

    /** Applies every entry after the last applied one, up to {@code through}, telling {@code replies} each reply. */
    static void applyRemaining(SqliteLog log, SessionStateMachine sm, long through,
                               BiConsumer<Long, String> replies) {
        for (long i = sm.lastAppliedIndex() + 1; i <= Math.min(through, log.lastIndex()); i++) {
            byte[] reply = sm.apply(i, log.read(i, i + 1, Long.MAX_VALUE).get(0).payload());
            replies.accept(i, describe(SessionReply.decode(reply)));
        }
    }

    static String describe(SessionReply r) {
        return r.status() + " " + r.value() + " " + new String(r.result(), StandardCharsets.UTF_8);
    }

    /** The table as text (byte arrays compared by content). */
    static String describe(StoredSessions s) {
        StringBuilder b = new StringBuilder("logTime=" + s.logTime());
        for (StoredSessions.Session session : s.sessions()) {
            b.append(" | ").append(session.id()).append(" active=").append(session.lastActive()).append("@")
                    .append(session.lastIndex()).append(" firstUnacked=").append(session.firstUnacked());
            for (Map.Entry<Long, byte[]> r : session.results().entrySet()) {
                b.append(" ").append(r.getKey()).append("=").append(new String(r.getValue(), StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }
}
