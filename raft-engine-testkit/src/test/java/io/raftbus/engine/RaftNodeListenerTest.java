package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.raftbus.engine.TestNodes.DEADLINE;

/** {@link RaftListener}s see role and leader changes, on the node's callback thread. */
class RaftNodeListenerTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listenersSeeRoleAndLeaderChangesOnTheCallbackThread() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build();
        Map<String, Recorder> recorders = new TreeMap<>();
        cluster.nodes().forEach((id, node) -> {
            Recorder recorder = new Recorder();
            recorders.put(id, recorder);
            node.addListener(recorder);
        });
        cluster.start();

        RaftNode leader = cluster.awaitLeader(DEADLINE);
        long term = leader.status().term();
        Await.until("the leader's listener to see it become leader",
                () -> recorders.get(leader.nodeId()).becameLeader(leader.nodeId(), term));
        for (String id : cluster.nodes().keySet()) {
            String event = "leader " + id + " " + leader.nodeId() + " term " + term;
            Await.until(id + "'s listener to see the leader", () -> recorders.get(id).events.contains(event));
        }
        recorders.forEach((id, recorder) -> assertTrue(
                recorder.threads.stream().allMatch(t -> t.equals("raftbus-" + id + "-callbacks")),
                "callbacks of " + id + " ran on " + recorder.threads));

        cluster.network().isolate(leader.nodeId());
        List<String> rest = cluster.followers(leader);
        RaftNode newLeader = cluster.awaitLeader(rest, DEADLINE);
        long newTerm = newLeader.status().term();
        Await.until("the new leader's listener to see it become leader",
                () -> recorders.get(newLeader.nodeId()).becameLeader(newLeader.nodeId(), newTerm));
        for (String id : rest) {
            String event = "leader " + id + " " + newLeader.nodeId() + " term " + newTerm;
            Await.until(id + "'s listener to see the new leader", () -> recorders.get(id).events.contains(event));
        }
        Await.until("the isolated leader to step down (CheckQuorum) and tell its listener",
                () -> recorders.get(leader.nodeId()).events.stream()
                        .anyMatch(e -> e.startsWith("role " + leader.nodeId() + " LEADER->")));
    }

    @Test
    void aRemovedListenerIsNotCalled() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build();
        RaftNode node = cluster.node("n1");
        Recorder kept = new Recorder();
        Recorder removed = new Recorder();
        node.addListener(kept);
        node.addListener(removed);
        node.removeListener(removed);
        cluster.start();

        Await.until("the kept listener to see the leader", () -> kept.events.stream()
                .anyMatch(e -> e.startsWith("leader n1 n1 ")));
        assertTrue(removed.events.isEmpty(), "removed listener saw " + removed.events);
    }

    private static final class Recorder implements RaftListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        boolean becameLeader(String nodeId, long term) {
            return events.stream().anyMatch(e -> e.startsWith("role " + nodeId + " ")
                    && e.endsWith("->LEADER term " + term));
        }

        @Override
        public void onRoleChange(String nodeId, Role from, Role to, long term) {
            threads.add(Thread.currentThread().getName());
            events.add("role " + nodeId + " " + from + "->" + to + " term " + term);
        }

        @Override
        public void onLeaderChange(String nodeId, String leaderId, long term) {
            threads.add(Thread.currentThread().getName());
            events.add("leader " + nodeId + " " + leaderId + " term " + term);
        }
    }
}
