package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.sqlite.example.LedgerCommand;
import io.raftbus.sqlite.example.LedgerStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqliteStateMachine} snapshots: captured on the loop while applying goes on, written on another thread,
 * holding the application's tables and applied index but not the log; restored atomically, bad bytes refused.
 */
class SqliteStateMachineSnapshotTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStateMachineSnapshotTest.class);

    @TempDir
    Path dir;

    /** Without fsyncs: these tests are about what a snapshot holds, not about durability (see the crash test). */
    private SqliteLog open(String node) {
        return SqliteLog.open(dir.resolve(node + ".db"), "bank", node,
                SqliteLogOptions.defaults().withDurability(Durability.OFF_UNSAFE));
    }

    /** Applies {@code count} commands from {@code from}: accounts a0..a9 opened first, then deposits and withdrawals. */
    private static void applyCommands(SqliteLog log, LedgerStateMachine ledger, long from, int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            entries.add(new LogEntry(i, 1, EntryType.COMMAND, command(i).encode()));
        }
        log.append(entries);
        for (LogEntry e : entries) {
            ledger.apply(e.index(), e.payload());
        }
    }

    private static LedgerCommand command(long index) {
        String account = "a" + (index % 10);
        if (index <= 10) {
            return LedgerCommand.open(account);
        }
        return index % 3 == 0 ? LedgerCommand.withdraw(account, 1 + index % 7) : LedgerCommand.deposit(account, index);
    }

    private static SnapshotInfo info(long index, byte[] bytes) {
        return new SnapshotInfo(index, 1, new Membership(Set.of("n1"), Set.of()), bytes.length, 0);
    }

    private static byte[] writeOnAnotherThread(StateSnapshot snapshot) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                snapshot.writeTo(out);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return out.toByteArray();
        }).get();
    }

    private List<Path> scratchFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aCaptureHoldsTheStateAtItsIndexWhileApplyingGoesOnAndRestoresElsewhere() throws Exception {
        byte[] bytes;
        Map<String, Long> atCapture;
        try (SqliteLog log = open("n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 500);
            atCapture = ledger.balances();
            long t0 = System.nanoTime();
            StateSnapshot snapshot = ledger.captureSnapshot();
            long captureMicros = (System.nanoTime() - t0) / 1_000;
            applyCommands(log, ledger, 501, 300); // the loop goes on applying before the snapshot is written
            long t1 = System.nanoTime();
            bytes = writeOnAnotherThread(snapshot);
            LOG.info("capture on the loop {} us; writing 500 applied entries' state on another thread {} ms, {} bytes",
                    captureMicros, (System.nanoTime() - t1) / 1_000_000, bytes.length);
            assertEquals(800, ledger.lastAppliedIndex());
            assertTrue(scratchFiles().isEmpty(), "scratch files left: " + scratchFiles());
        }
        Path copy = dir.resolve("snapshot.sqlite");
        Files.write(copy, bytes);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            assertEquals(List.of("ledger_accounts", "ledger_history", "raft_snapshot"), Schema.tables(c),
                    "the application's tables and the applied index, not the log");
        }
        try (SqliteLog log = open("n2")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            ledger.restoreSnapshot(info(500, bytes), new ByteArrayInputStream(bytes));
            assertEquals(500, ledger.lastAppliedIndex());
            assertEquals(atCapture, ledger.balances());
            assertEquals(500, ledger.historyCounts().size());
            assertTrue(ledger.historyCounts().values().stream().allMatch(n -> n == 1));
            log.installSnapshot(new io.raftbus.engine.spi.SnapshotMeta(500, 1));
            applyCommands(log, ledger, 501, 10); // applying continues after the snapshot
            assertEquals(510, ledger.lastAppliedIndex());
        }
        try (SqliteLog log = open("n2")) {
            assertEquals(510, new LedgerStateMachine(log).lastAppliedIndex());
        }
    }

    @Test
    void restoringReplacesTheWholeStateEvenAtALowerIndex() throws Exception {
        byte[] bytes;
        try (SqliteLog log = open("n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 20);
            bytes = writeOnAnotherThread(ledger.captureSnapshot());
        }
        try (SqliteLog log = open("n2")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 40);
            ledger.apply(41, LedgerCommand.open("only-here").encode());
            ledger.restoreSnapshot(info(20, bytes), new ByteArrayInputStream(bytes));
            assertEquals(20, ledger.lastAppliedIndex());
            assertEquals(20, ledger.historyCounts().size());
            assertTrue(ledger.balance("only-here").isEmpty());
        }
    }

    @Test
    void badBytesOrTheWrongIndexAreRefusedAndChangeNothing() throws Exception {
        byte[] good;
        try (SqliteLog log = open("n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 15);
            good = writeOnAnotherThread(ledger.captureSnapshot());
        }
        try (SqliteLog log = open("n2")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 12);
            Map<String, Long> before = ledger.balances();
            byte[] garbage = "not a database at all, just some bytes".getBytes(StandardCharsets.UTF_8);
            IOException e = assertThrows(IOException.class,
                    () -> ledger.restoreSnapshot(info(15, garbage), new ByteArrayInputStream(garbage)));
            assertTrue(e.getMessage().contains("not a SQLite state snapshot"), e.getMessage());
            e = assertThrows(IOException.class,
                    () -> ledger.restoreSnapshot(info(16, good), new ByteArrayInputStream(good)));
            assertTrue(e.getMessage().contains("holds the state applied through 15"), e.getMessage());
            byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
            assertThrows(IOException.class,
                    () -> ledger.restoreSnapshot(info(15, truncated), new ByteArrayInputStream(truncated)));
            assertEquals(12, ledger.lastAppliedIndex());
            assertEquals(before, ledger.balances());
            assertTrue(scratchFiles().isEmpty(), "scratch files left: " + scratchFiles());
            applyCommands(log, ledger, 13, 1); // the log is still usable
        }
    }

    @Test
    void aRestoreThatFailsHalfWayLeavesTheOldStateAndIndex() throws Exception {
        byte[] big;
        try (SqliteLog log = open("n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 1_000);
            big = writeOnAnotherThread(ledger.captureSnapshot());
        }
        try (SqliteLog log = open("n2")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 12);
            Map<String, Long> before = ledger.balances();
            log.limitDatabasePages(log.pageCount() + 2); // a full disk in the middle of the copy
            assertThrows(SqliteLogException.class,
                    () -> ledger.restoreSnapshot(info(1_000, big), new ByteArrayInputStream(big)));
            assertEquals(12, ledger.lastAppliedIndex());
            assertEquals(before, ledger.balances());
            assertEquals(12, ledger.historyCounts().size());
            log.limitDatabasePages(1_000_000);
            ledger.restoreSnapshot(info(1_000, big), new ByteArrayInputStream(big));
            assertEquals(1_000, ledger.lastAppliedIndex());
        }
    }

    @Test
    void aCaptureReleasedUnwrittenLeavesNothingAndLeftoversOfACrashAreDeletedAtStart() throws Exception {
        Path leftover = dir.resolve("n1.db.state-capture-123.tmp");
        try (SqliteLog log = open("n1")) {
            Files.write(leftover, new byte[] {1, 2, 3});
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            assertTrue(Files.notExists(leftover));
            applyCommands(log, ledger, 1, 5);
            StateSnapshot snapshot = ledger.captureSnapshot();
            assertEquals(1, scratchFiles().size());
            snapshot.release();
            assertTrue(scratchFiles().isEmpty());
            assertThrows(IllegalStateException.class, () -> snapshot.writeTo(new ByteArrayOutputStream()));
            applyCommands(log, ledger, 6, 5);
        }
    }

    @Test
    void aCaptureCanStillBeWrittenAfterTheLogClosed() throws Exception {
        StateSnapshot snapshot;
        Map<String, Long> atCapture;
        try (SqliteLog log = open("n1")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            applyCommands(log, ledger, 1, 30);
            atCapture = ledger.balances();
            snapshot = ledger.captureSnapshot();
        }
        byte[] bytes = writeOnAnotherThread(snapshot);
        try (SqliteLog log = open("n2")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            ledger.restoreSnapshot(info(30, bytes), new ByteArrayInputStream(bytes));
            assertEquals(atCapture, ledger.balances());
        }
        try (SqliteLog log = open("n1")) { // and the log reopens as it was
            assertEquals(30, log.lastIndex());
            assertEquals(30, new LedgerStateMachine(log).lastAppliedIndex());
        }
    }

    /** Indexes, triggers, views and AUTOINCREMENT counters of the application come along; raftbus's tables do not. */
    @Test
    void theApplicationsWholeSchemaIsCopied() throws Exception {
        class Notes extends SqliteStateMachine {
            Notes(SqliteLog log) {
                super(log);
                inTransaction("schema", c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE IF NOT EXISTS \"my notes\" (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                + " body TEXT NOT NULL)");
                        s.execute("CREATE INDEX IF NOT EXISTS notes_body ON \"my notes\" (body)");
                        s.execute("CREATE TABLE IF NOT EXISTS note_count (n INTEGER NOT NULL)");
                        s.execute("CREATE TRIGGER IF NOT EXISTS count_notes AFTER INSERT ON \"my notes\""
                                + " BEGIN UPDATE note_count SET n = n + 1; END");
                        s.execute("CREATE VIEW IF NOT EXISTS long_notes AS SELECT * FROM \"my notes\""
                                + " WHERE length(body) > 3");
                        s.execute("INSERT INTO note_count SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM note_count)");
                    }
                    return null;
                });
            }

            @Override
            protected byte[] applyInTransaction(Connection c, long index, byte[] command) throws SQLException {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO \"my notes\" (body) VALUES (?)")) {
                    p.setString(1, new String(command, StandardCharsets.UTF_8));
                    p.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("DELETE FROM \"my notes\" WHERE body = 'gone'");
                }
                return new byte[0];
            }

            long one(String sql) {
                return query(sql, c -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        return rs.next() ? rs.getLong(1) : -1;
                    }
                });
            }
        }
        byte[] bytes;
        try (SqliteLog log = open("n1")) {
            Notes notes = new Notes(log);
            notes.apply(1, "hello".getBytes(StandardCharsets.UTF_8));
            notes.apply(2, "hi".getBytes(StandardCharsets.UTF_8));
            notes.apply(3, "gone".getBytes(StandardCharsets.UTF_8));
            bytes = writeOnAnotherThread(notes.captureSnapshot());
        }
        try (SqliteLog log = open("n2")) {
            Notes notes = new Notes(log);
            notes.restoreSnapshot(info(3, bytes), new ByteArrayInputStream(bytes));
            assertEquals(3, notes.one("SELECT n FROM note_count"), "the copy did not fire the trigger again");
            assertEquals(1, notes.one("SELECT count(*) FROM long_notes"));
            assertEquals(1, notes.one("SELECT count(*) FROM sqlite_schema WHERE name = 'notes_body'"));
            notes.apply(4, "next".getBytes(StandardCharsets.UTF_8));
            assertEquals(4, notes.one("SELECT max(id) FROM \"my notes\""), "the AUTOINCREMENT counter came along");
            assertEquals(4, notes.one("SELECT n FROM note_count"), "the trigger works after the restore");
        }
    }
}
