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

/** Trial: snapshots of the ledger under real nodes with FileSnapshotStores. */
class LedgerSnapshotClusterTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(1000, 2000)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .snapshotEveryEntries(20)
            .logTrailingEntries(5)
            .snapshotChunkBytes(4096)
            .build();

    @TempDir
    Path dir;

    private RaftNode node(String id, InMemoryNetwork network, long seed) {
        SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), "bank", id);
        return RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("bank").config(CONFIG)
                .transport(network.transport(id)).log(log).stateMachine(new LedgerStateMachine(log))
                .snapshotDirectory(dir.resolve(id + "-snapshots"))
                .randomSeed(seed).build();
    }

    @Test
    void aFollowerFarBehindCatchesUpThroughTheLeadersSnapshot() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, RaftNode> nodes = new LinkedHashMap<>();
        nodes.put("n1", node("n1", network, 1));
        nodes.put("n2", node("n2", network, 2));
        nodes.values().forEach(RaftNode::start);
        submit(nodes, LedgerCommand.open("alice"));
        for (int i = 1; i <= 120; i++) {
            submit(nodes, LedgerCommand.deposit("alice", 1));
        }
        Await.until("the leader compacted", () -> leader(nodes).status().firstLogIndex() > 50);
        RaftNode n3 = node("n3", network, 3);
        nodes.put("n3", n3);
        n3.start();
        Await.until("n3 caught up", () -> n3.status().lastApplied() >= leader(nodes).status().commitIndex()
                && n3.status().snapshotIndex() > 0);
        submit(nodes, LedgerCommand.deposit("alice", 1));
        long commit = leader(nodes).status().commitIndex();
        // every node, not only n3: a follower closed before applying the last deposit would rightly lack it
        Await.until("every node applied the last", () -> nodes.values().stream()
                .allMatch(n -> n.status().lastApplied() >= commit));
        nodes.values().forEach(RaftNode::close);
        for (String id : List.of("n1", "n2", "n3")) {
            try (SqliteLog log = SqliteLog.open(dir.resolve(id + ".db"), "bank", id)) {
                LedgerStateMachine ledger = new LedgerStateMachine(log);
                assertEquals(Map.of("alice", 121L), ledger.balances(), "balances on " + id);
            }
        }
        // a full restart: each node restores from its own files
        InMemoryNetwork network2 = new InMemoryNetwork();
        Map<String, RaftNode> again = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            again.put(id, node(id, network2, 10 + id.charAt(1)));
        }
        again.values().forEach(RaftNode::start);
        assertEquals("OK 122", submit(again, LedgerCommand.deposit("alice", 1)));
        again.values().forEach(RaftNode::close);
    }
}
