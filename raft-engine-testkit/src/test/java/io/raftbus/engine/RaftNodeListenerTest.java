package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        // the terms are the listeners' to tell: a term read from the status after awaitLeader may already be a later
        // election's, one this node does not lead (a starved thread on a loaded machine)
        Await.until("every listener to see one node become leader and the others learn of it",
                () -> seenByAll(recorders, cluster.nodes().keySet(), 0));
        recorders.forEach((id, recorder) -> assertTrue(
                recorder.threads.stream().allMatch(t -> t.equals("raftbus-" + id + "-callbacks")),
                "callbacks of " + id + " ran on " + recorder.threads));

        cluster.network().isolate(leader.nodeId());
        List<String> rest = cluster.followers(leader);
        long isolatedLed = recorders.get(leader.nodeId()).lastTermLed();
        cluster.awaitLeader(rest, DEADLINE);
        Await.until("the others' listeners to see one of them become leader in a later term and both learn of it",
                () -> seenByAll(recorders, rest, isolatedLed + 1));
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

    /**
     * Whether, in some term from {@code fromTerm} on, one of {@code ids} told its listener it became leader and every
     * one of {@code ids} told its own that it leads in that term.
     */
    private static boolean seenByAll(Map<String, Recorder> recorders, Collection<String> ids, long fromTerm) {
        for (String candidate : ids) {
            for (long term : recorders.get(candidate).termsLed()) {
                if (term >= fromTerm && ids.stream().allMatch(id -> recorders.get(id).events
                        .contains("leader " + id + " " + candidate + " term " + term))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final class Recorder implements RaftListener {
        private static final Pattern BECAME_LEADER = Pattern.compile("role \\S+ \\S+->LEADER term (\\d+)");

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        /** The terms in which this node told its listener it became leader. */
        List<Long> termsLed() {
            return events.stream().map(BECAME_LEADER::matcher).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).toList();
        }

        long lastTermLed() {
            return termsLed().stream().mapToLong(Long::longValue).max().orElse(0);
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
