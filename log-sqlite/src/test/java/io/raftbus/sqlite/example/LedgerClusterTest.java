package io.raftbus.sqlite.example;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testkit.Await;
import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real {@link RaftNode}s, each on its own {@link SqliteLog} file with a {@link LedgerStateMachine} in it: the
 * script commits and is applied on every node; after the whole cluster restarts from its files, it resumes
 * without applying anything twice and keeps committing.
 */
class LedgerClusterTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(300, 600)
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

    private static RaftNode leader(Map<String, RaftNode> nodes) {
        return Await.value("a leader", () -> nodes.values().stream().filter(n -> n.status().isLeader())
                .findFirst().orElse(null));
    }

    private static String submit(Map<String, RaftNode> nodes, LedgerCommand command) {
        byte[] result = Await.result(leader(nodes).submit(command.encode()), Duration.ofSeconds(20));
        return new String(result, StandardCharsets.UTF_8);
    }

    private static void awaitAppliedEverywhere(Map<String, RaftNode> nodes, long index) {
        Await.until("index " + index + " applied on every node", () -> nodes.values().stream()
                .map(RaftNode::status).mapToLong(RaftStatus::lastApplied).min().orElse(0) >= index);
    }

    @Test
    void aClusterOnSqliteLogsAppliesEachCommandOnceAcrossAFullRestart() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, RaftNode> nodes = start(network);
        for (LedgerCommand command : LedgerScript.COMMANDS) {
            submit(nodes, command);
        }
        awaitAppliedEverywhere(nodes, leader(nodes).status().commitIndex());
        nodes.values().forEach(RaftNode::close);
        Map<String, Long> expected = LedgerScript.expectedBalances(LedgerScript.COMMANDS.size());
        long appliedBefore = assertLedgers(expected, LedgerScript.COMMANDS.size());

        InMemoryNetwork network2 = new InMemoryNetwork();
        Map<String, RaftNode> restarted = start(network2);
        assertEquals("OK 8", submit(restarted, LedgerCommand.deposit("bob", 1)));
        awaitAppliedEverywhere(restarted, leader(restarted).status().commitIndex());
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
