package io.raftbus.sqlite.example;

import io.raftbus.engine.BackpressureException;
import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.NotLeaderException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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

    private static RaftNode leader(Map<String, RaftNode> nodes) {
        return Await.value("a leader", () -> nodes.values().stream().filter(n -> n.status().isLeader())
                .findFirst().orElse(null));
    }

    private static String submit(Map<String, RaftNode> nodes, LedgerCommand command) throws Exception {
        long deadline = System.nanoTime() + TestDeadlines.seconds(60).toNanos();
        while (true) {
            try {
                byte[] result = leader(nodes).submit(command.encode())
                        .get(TestDeadlines.seconds(30).toMillis(), TimeUnit.MILLISECONDS);
                return new String(result, StandardCharsets.UTF_8);
            } catch (ExecutionException e) {
                boolean notApplied = e.getCause() instanceof NotLeaderException
                        || e.getCause() instanceof BackpressureException
                        || e.getCause() instanceof CommandNotCommittedException;
                if (!notApplied || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
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
