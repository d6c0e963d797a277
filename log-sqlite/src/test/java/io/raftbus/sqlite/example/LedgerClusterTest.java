package io.raftbus.sqlite.example;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.sqlite.SqliteLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.raftbus.sqlite.example.LedgerNodes.leader;
import static io.raftbus.sqlite.example.LedgerNodes.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real {@link RaftNode}s, each on its own {@link SqliteLog} file with a {@link LedgerStateMachine} in it: the
 * script commits and is applied on every node; after the whole cluster restarts from its files, it resumes
 * without applying anything twice and keeps committing.
 */
class LedgerClusterTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    /** Election timeouts long enough that a loaded 2-core machine does not depose a leader mid-test. */
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(1000, 2000)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .build();

    @TempDir
    Path dir;

    private Map<String, RaftNode> start(InMemoryNetwork network) {
        Map<String, RaftNode> nodes = new LinkedHashMap<>();
        long seed = 1;
        for (String id : List.of("n1", "n2", "n3")) {
            SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), "bank", id);
            nodes.put(id, RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("bank").config(CONFIG)
                    .transport(network.transport(id)).log(log).stateMachine(new LedgerStateMachine(log))
                    .randomSeed(seed++).build());
        }
        nodes.values().forEach(RaftNode::start);
        return nodes;
    }

    /** Waits until every node follows one leader in one term and that leader has committed its whole log. */
    private static void awaitSettled(Map<String, RaftNode> nodes) {
        Await.until("a leader agreed on by all, its log committed", () -> {
            RaftStatus leader = leader(nodes).status();
            return leader.isLeader() && leader.commitIndex() == leader.lastLogIndex() && nodes.values().stream()
                    .map(RaftNode::status)
                    .allMatch(s -> leader.nodeId().equals(s.leaderId()) && s.term() == leader.term());
        });
    }

    /**
     * Waits until the leader's whole log is committed and applied on every node. (The leader's log already holds
     * the last command when its future completes, so a not-yet-refreshed status cannot satisfy this early.)
     */
    private static void awaitAppliedEverywhere(Map<String, RaftNode> nodes) {
        Await.until("the leader's log applied on every node", () -> {
            RaftStatus leader = leader(nodes).status();
            return leader.commitIndex() == leader.lastLogIndex() && nodes.values().stream()
                    .allMatch(n -> n.status().lastApplied() == leader.lastLogIndex());
        });
    }

    @Test
    void aClusterOnSqliteLogsAppliesEachCommandOnceAcrossAFullRestart() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, RaftNode> nodes = start(network);
        awaitSettled(nodes);
        for (LedgerCommand command : LedgerScript.COMMANDS) {
            submit(nodes, command);
        }
        awaitAppliedEverywhere(nodes);
        nodes.values().forEach(RaftNode::close);
        Map<String, Long> expected = LedgerScript.expectedBalances(LedgerScript.COMMANDS.size());
        long appliedBefore = assertLedgers(expected, LedgerScript.COMMANDS.size());

        InMemoryNetwork network2 = new InMemoryNetwork();
        Map<String, RaftNode> restarted = start(network2);
        awaitSettled(restarted);
        assertEquals("OK 8", submit(restarted, LedgerCommand.deposit("bob", 1)));
        awaitAppliedEverywhere(restarted);
        restarted.values().forEach(RaftNode::close);
        expected.put("bob", expected.get("bob") + 1);
        long appliedAfter = assertLedgers(expected, LedgerScript.COMMANDS.size() + 1);
        assertTrue(appliedAfter > appliedBefore);
    }

    /** Checks every node's ledger and that it applied {@code commands} commands once each; returns its index. */
    private long assertLedgers(Map<String, Long> expected, int commands) {
        long lastApplied = -1;
        for (String id : List.of("n1", "n2", "n3")) {
            try (SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), "bank", id)) {
                LedgerStateMachine ledger = new LedgerStateMachine(log);
                assertEquals(expected, ledger.balances(), "balances on " + id);
                assertEquals(commands, ledger.historyCounts().size(), "commands applied on " + id);
                lastApplied = Math.max(lastApplied, ledger.lastAppliedIndex());
            }
        }
        return lastApplied;
    }
}
