package io.raftbus.engine;

import io.raftbus.engine.testkit.Await;
import io.raftbus.engine.testkit.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.raftbus.engine.LocalCluster.DEADLINE;
import static io.raftbus.engine.LocalCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A 3-node cluster of real nodes on real threads over the in-memory network. */
class RaftNodeClusterTest {

    private LocalCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void electsExactlyOneLeaderThatTracksItsFollowers() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();

        RaftNode leader = cluster.awaitLeader();

        long leaders = cluster.nodes.values().stream().filter(n -> n.status().isLeader()).count();
        assertEquals(1, leaders);
        Await.until("the leader to report its followers' match indexes",
                () -> leader.status().matchIndex().keySet().containsAll(cluster.followers(leader)));
        for (String follower : cluster.followers(leader)) {
            assertEquals(leader.nodeId(), cluster.node(follower).status().leaderId());
            assertEquals(Role.FOLLOWER, cluster.node(follower).status().role());
        }
    }

    @Test
    void commitsAThousandSubmitsFromLeaderAndFollowersAndAppliesThemIdenticallyEverywhere() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();
        RaftNode leader = cluster.awaitLeader();
        List<RaftNode> submitters = new ArrayList<>(cluster.nodes.values());
        assertTrue(submitters.contains(leader));

        int count = 1000;
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RaftNode node = submitters.get(i % submitters.size());
            futures.add(Submit.retrying(node, bytes("cmd-" + i), 100));
        }
        Set<Integer> results = new HashSet<>();
        for (CompletableFuture<byte[]> f : futures) {
            results.add(Integer.parseInt(new String(Await.result(f, DEADLINE), StandardCharsets.UTF_8)));
        }

        // each command was applied exactly once, and every node computed the same result for it
        assertEquals(IntStream.rangeClosed(1, count).boxed().collect(Collectors.toSet()), results);
        cluster.awaitApplied(cluster.nodes.keySet(), count);
        List<String> reference = cluster.machines.get("n1").applied();
        assertEquals(count, reference.size());
        assertEquals(count, new HashSet<>(reference).size());
        assertEquals(IntStream.range(0, count).mapToObj(i -> "cmd-" + i).collect(Collectors.toSet()),
                new HashSet<>(reference));
        for (String id : cluster.nodes.keySet()) {
            assertEquals(reference, cluster.machines.get(id).applied(), "commands applied on " + id);
            assertEquals(cluster.machines.get("n1").indexes(), cluster.machines.get(id).indexes(),
                    "indexes applied on " + id);
        }
        Await.until("every node to report all entries applied", () -> cluster.nodes.values().stream()
                .allMatch(n -> n.status().lastApplied() >= cluster.machines.get("n1").indexes().get(count - 1)));
    }

    @Test
    void isolatingTheLeaderElectsANewLeaderAndTheClusterKeepsCommitting() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();
        RaftNode oldLeader = cluster.awaitLeader();
        for (int i = 0; i < 10; i++) {
            Await.result(Submit.retrying(oldLeader, bytes("before-" + i), 100), DEADLINE);
        }
        long oldTerm = oldLeader.status().term();

        cluster.network.isolate(oldLeader.nodeId());
        List<String> rest = cluster.followers(oldLeader);
        RaftNode newLeader = cluster.awaitLeader(rest);

        assertNotEquals(oldLeader.nodeId(), newLeader.nodeId());
        assertTrue(newLeader.status().term() > oldTerm, "the new leader's term is higher");
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RaftNode submitter = cluster.node(rest.get(i % rest.size()));
            futures.add(Submit.retrying(submitter, bytes("after-" + i), 100));
        }
        futures.forEach(f -> Await.result(f, DEADLINE));
        cluster.awaitApplied(rest, 110);

        cluster.network.heal(oldLeader.nodeId());
        cluster.awaitApplied(cluster.nodes.keySet(), 110);
        List<String> reference = cluster.machines.get(newLeader.nodeId()).applied();
        for (String id : cluster.nodes.keySet()) {
            assertEquals(reference, cluster.machines.get(id).applied(), "commands applied on " + id);
        }
        RaftNode settled = cluster.awaitLeader();
        assertTrue(settled.status().term() > oldTerm);
    }

    @Test
    void closingTheLeaderHandsLeadershipToAFollowerFirst() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();
        RaftNode leader = cluster.awaitLeader();
        Await.result(Submit.retrying(leader, bytes("before"), 100), DEADLINE);
        long term = leader.status().term();

        leader.close();
        RaftStatus last = leader.status();
        assertEquals(Role.FOLLOWER, last.role(), "it stepped down before closing (a crash would leave LEADER)");
        assertEquals(term + 1, last.term());
        RaftNode successor = cluster.node(last.leaderId());
        Await.until("the successor to report itself leader", () -> successor.status().isLeader());
        assertEquals(term + 1, successor.status().term(), "one election: the hand-over");
        Await.result(successor.submit(bytes("after")), DEADLINE);
    }

    @Test
    void withTheHandOverOffAClosingLeaderJustStops() {
        cluster = new LocalCluster(3, LocalCluster.FAST.toBuilder().handOverOnClose(false).build()).startAll();
        RaftNode leader = cluster.awaitLeader();
        leader.close();
        assertEquals(Role.LEADER, leader.status().role());
    }

    @Test
    void transferLeadershipCompletesWithTheNewLeaderAndOnlyALeaderCanTransfer() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();
        RaftNode leader = cluster.awaitLeader();
        String target = cluster.followers(leader).get(1);
        long term = leader.status().term();

        assertEquals(target, Await.result(leader.transferLeadership(target), DEADLINE));
        Await.until("the target to report itself leader", () -> cluster.node(target).status().isLeader());
        assertEquals(term + 1, cluster.node(target).status().term());
        assertInstanceOf(NotLeaderException.class, Await.failure(leader.transferLeadership(null), DEADLINE));
        Await.result(leader.submit(bytes("forwarded")), DEADLINE); // the old leader now forwards to the new one
        Await.until("the new leader to apply it", () -> cluster.machines.get(target).applied().contains("forwarded"));
    }

    @Test
    void readsOnTheLeaderAndOnFollowersSeeEveryCommandAcknowledgedBeforeThem() {
        cluster = new LocalCluster(3, LocalCluster.FAST).startAll();
        RaftNode leader = cluster.awaitLeader();
        List<RaftNode> all = new ArrayList<>(cluster.nodes.values());
        for (int i = 1; i <= 30; i++) {
            RaftNode via = all.get(i % all.size());
            Await.result(Submit.retrying(via, bytes("w" + i), 100), DEADLINE);
            for (RaftNode reader : all) { // the query answers how many commands the serving state machine applied
                int seen = Integer.parseInt(new String(Await.result(reader.read(bytes("count")), DEADLINE),
                        StandardCharsets.UTF_8));
                assertTrue(seen >= i, reader.nodeId() + " read " + seen + " after " + i + " acknowledged writes");
            }
        }
        assertEquals(30, cluster.machines.get(leader.nodeId()).applied().size(), "reads wrote nothing to the log");
    }

    @Test
    void aNodeRebuiltOverItsLogRejoinsAndReappliesEverything() {
        rebuildAFollowerAndCheckItReappliesEverything(LocalCluster.FAST, 20);
    }

    /** The replay is handed out in many bounded chunks (maxBytesPerAppend) across loop iterations. */
    @Test
    void aNodeRebuiltOverALogOfManyHandOutChunksReappliesEverything() {
        rebuildAFollowerAndCheckItReappliesEverything(LocalCluster.FAST.toBuilder().maxBytesPerAppend(100).build(),
                300);
    }

    private void rebuildAFollowerAndCheckItReappliesEverything(RaftConfig config, int perPhase) {
        cluster = new LocalCluster(3, config).startAll();
        RaftNode leader = cluster.awaitLeader();
        for (int i = 0; i < perPhase; i++) {
            Await.result(Submit.retrying(leader, bytes("first-" + i), 100), DEADLINE);
        }
        String followerId = cluster.followers(leader).get(0);
        cluster.awaitApplied(List.of(followerId), perPhase);

        RaftNode rebuilt = cluster.restart(followerId);
        for (int i = 0; i < perPhase; i++) {
            Await.result(Submit.retrying(rebuilt, bytes("second-" + i), 100), DEADLINE);
        }

        cluster.awaitApplied(cluster.nodes.keySet(), 2 * perPhase);
        List<String> reference = cluster.machines.get(leader.nodeId()).applied();
        assertEquals(2 * perPhase, reference.size());
        assertEquals(reference, cluster.machines.get(followerId).applied());
    }
}
