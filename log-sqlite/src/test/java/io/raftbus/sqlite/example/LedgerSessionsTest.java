package io.raftbus.sqlite.example;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.session.SessionClient;
import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.session.SessionReply;
import io.raftbus.engine.session.SessionStateMachine;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogCorruptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client sessions over the SQLite ledger, in process: a restored snapshot replaces the stored table (in the
 * transaction that restores the state), a failed apply leaves neither the stored nor the in-memory table changed,
 * a foreign or inconsistent stored table is refused with a clear error, and sessions cannot be turned on or off
 * over a state applied the other way.
 */
class LedgerSessionsTest {

    @TempDir
    Path dir;

    private SqliteLog open(String name) {
        return SqliteLog.open(dir.resolve(name), "bank", "n1");
    }

    /** Applies the script's first {@code through} entries to a new database {@code name}; leaves it closed. */
    private void runScript(String name, long through) {
        try (SqliteLog log = open(name)) {
            LedgerSessionScript.appendTo(log);
            LedgerSessionScript.applyRemaining(log, LedgerSessionScript.sessions(new LedgerStateMachine(log)),
                    through, (i, r) -> { });
        }
    }

    @Test
    void aRestoredSnapshotReplacesTheStoredTableWithTheState() throws IOException {
        byte[] snapshot;
        String table;
        try (SqliteLog log = open("a.db")) {
            LedgerSessionScript.appendTo(log);
            SessionStateMachine a = LedgerSessionScript.sessions(new LedgerStateMachine(log));
            LedgerSessionScript.applyRemaining(log, a, 9, (i, r) -> { });
            table = LedgerSessionScript.describe(a.table().stored());
            StateSnapshot captured = a.captureSnapshot();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            captured.writeTo(out);
            snapshot = out.toByteArray();
        }
        try (SqliteLog log = open("b.db")) { // other sessions, another state, further along
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            SessionStateMachine b = LedgerSessionScript.sessions(ledger);
            b.apply(4, SessionEnvelope.register().encode());
            b.apply(5, SessionEnvelope.command(4, 1, 1, LedgerCommand.open("bob").encode()).encode());
            b.restoreSnapshot(new SnapshotInfo(9, 1, new Membership(Set.of("n1"), Set.of()), snapshot.length, 0),
                    new ByteArrayInputStream(snapshot));
            assertEquals(table, LedgerSessionScript.describe(b.table().stored()));
        }
        try (SqliteLog log = open("b.db")) { // reopened: the stored table is the snapshot's
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            SessionStateMachine b = LedgerSessionScript.sessions(ledger);
            assertEquals(9, b.lastAppliedIndex());
            assertEquals(table, LedgerSessionScript.describe(b.table().stored()));
            assertEquals(Map.of("alice", 106L), ledger.balances());
            SessionReply retry = SessionReply.decode(b.apply(10, SessionEnvelope.command(1, 3, 3,
                    LedgerCommand.deposit("alice", 1).encode()).encode()));
            assertEquals("OK 106", new String(retry.result(), StandardCharsets.UTF_8), "the first result");
            assertEquals(Map.of("alice", 106L), ledger.balances(), "not applied again");
            assertEquals(SessionReply.Status.UNKNOWN_SESSION, SessionReply.decode(b.apply(11,
                    SessionEnvelope.command(4, 2, 2, LedgerCommand.open("carol").encode()).encode())).status(),
                    "b's own session is gone with its state");
        }
    }

    @Test
    void aFailedApplyLeavesTheStoredAndTheInMemoryTableAsTheyWere() {
        try (SqliteLog log = open("n.db")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log) {
                @Override
                protected byte[] applyInTransaction(Connection c, long index, byte[] command) throws SQLException {
                    byte[] result = super.applyInTransaction(c, index, command);
                    if (index == 3) {
                        throw new SQLException("disk full, say");
                    }
                    return result;
                }
            };
            SessionStateMachine sm = LedgerSessionScript.sessions(ledger);
            sm.apply(1, SessionEnvelope.register().encode());
            String before = LedgerSessionScript.describe(sm.table().stored());
            byte[] open = SessionEnvelope.command(1, 1, 1, LedgerCommand.open("alice").encode()).encode();
            assertThrows(RuntimeException.class, () -> sm.apply(3, open));
            assertEquals(before, LedgerSessionScript.describe(sm.table().stored()), "in memory");
            assertEquals(before, LedgerSessionScript.describe(ledger.loadSessions()), "stored");
            assertEquals(1, sm.lastAppliedIndex());
            SessionReply r = SessionReply.decode(sm.apply(4, open)); // the retry is a first application
            assertEquals("APPLIED 0 OK 0", LedgerSessionScript.describe(r));
            assertEquals(Map.of(4L, 1), ledger.historyCounts());
        }
    }

    @Test
    void anInconsistentStoredTableIsRefusedNamingTheFileAndTheProblem() throws SQLException {
        runScript("bad.db", 9); // session 1 holds seq 3, session 2 seq 1
        corrupt("bad.db", "INSERT INTO raft_session_results (session_id, seq, result) VALUES (1, 1, x'00')");
        assertRefused("bad.db", "below its first unacknowledged seq 3");

        runScript("orphan.db", 9);
        corrupt("orphan.db", "INSERT INTO raft_session_results (session_id, seq, result) VALUES (77, 1, x'00')");
        assertRefused("orphan.db", "results of sessions it does not have: [77]");

        runScript("newer.db", 9);
        corrupt("newer.db", "UPDATE raft_session_meta SET format = 9");
        assertRefused("newer.db", "its format is 9");

        runScript("order.db", 9);
        corrupt("order.db", "UPDATE raft_sessions SET last_active = 1000000 WHERE id = 1");
        assertRefused("order.db", "after the table's");
    }

    private void corrupt(String name, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void assertRefused(String name, String problem) {
        try (SqliteLog log = open(name)) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            SqliteLogCorruptException e = assertThrows(SqliteLogCorruptException.class,
                    () -> LedgerSessionScript.sessions(ledger));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("client-session table")
                    && e.getMessage().contains(problem), e.getMessage());
        }
    }

    @Test
    void sessionsCannotBeTurnedOnOverAStateAppliedWithoutThemNorOffOverOneAppliedWithThem() {
        try (SqliteLog log = open("plain.db")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            ledger.apply(1, LedgerCommand.open("alice").encode());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LedgerSessionScript.sessions(ledger));
            assertTrue(e.getMessage().contains("without client sessions"), e.getMessage());
        }
        runScript("sessions.db", 3);
        try (SqliteLog log = open("sessions.db")) {
            LedgerStateMachine ledger = new LedgerStateMachine(log);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ledger.apply(4, LedgerCommand.open("bob").encode()));
            assertTrue(e.getMessage().contains("applied with client sessions"), e.getMessage());
            assertEquals(3, ledger.lastAppliedIndex());
        }
    }

    @Test
    void aNodeCrashedAndRestartedOverItsDatabaseAnswersARetryFromTheStoredTableWithoutApplyingItAgain() {
        InMemoryNetwork network = new InMemoryNetwork();
        Path db = dir.resolve("node.db");
        RaftNode node = ledgerNode(network, SqliteLog.open(db, "bank", "n1"));
        node.start();
        SessionClient client = Await.result(SessionClient.open(node, WAIT.toMillis()), WAIT);
        Await.result(client.submit(LedgerCommand.open("alice").encode()), WAIT);
        Await.result(client.submit(LedgerCommand.deposit("alice", 100).encode()), WAIT);
        // the client's seq 3, whose answer it never got: the process dies right after applying it
        SessionEnvelope deposit = SessionEnvelope.command(client.sessionId(), 3, 3,
                LedgerCommand.deposit("alice", 50).encode());
        SessionReply first = SessionReply.decode(Await.result(node.submit(deposit.encode()), WAIT));
        node.crash(); // no clean shutdown: the log is closed as a dead process's file would be released

        SqliteLog log = SqliteLog.open(db, "bank", "n1");
        RaftNode restarted = ledgerNode(network, log);
        restarted.start();
        Await.until("the restarted node leads", () -> restarted.status().isLeader(), WAIT);
        SessionReply retry = SessionReply.decode(Await.result(restarted.submit(deposit.encode()), WAIT));

        assertEquals("APPLIED 0 OK 150", LedgerSessionScript.describe(first));
        assertEquals(first, retry, "the first application's result");
        LedgerStateMachine ledger = (LedgerStateMachine) machines.get(machines.size() - 1);
        assertEquals(Map.of("alice", 150L), ledger.balances(), "applied once");
        assertTrue(ledger.historyCounts().values().stream().allMatch(n -> n == 1), ledger.historyCounts().toString());
        assertEquals(3, ledger.historyCounts().size());
    }

    private static final Duration WAIT = TestDeadlines.seconds(30);
    private final List<RaftNode> nodes = new ArrayList<>();
    private final List<Object> machines = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(RaftNode::close);
    }

    private RaftNode ledgerNode(InMemoryNetwork network, SqliteLog log) {
        LedgerStateMachine ledger = new LedgerStateMachine(log);
        machines.add(ledger);
        RaftNode node = RaftNode.builder().nodeId("n1").members(Set.of("n1")).clusterId("bank")
                .config(RaftConfig.builder().electionTimeoutMs(300, 600).heartbeatIntervalMs(30).tickIntervalMs(5)
                        .build())
                .transport(network.transport("n1")).log(log).stateMachine(ledger).sessions(3_600_000).build();
        nodes.add(node);
        return node;
    }
}
