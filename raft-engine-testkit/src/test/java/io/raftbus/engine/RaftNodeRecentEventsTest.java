package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.Submit;
import io.raftbus.engine.trace.TraceEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RaftNode#recentEvents()}: a bounded ring of what the node handled, rendered as a table. */
class RaftNodeRecentEventsTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aNodeKeepsItsRecentEventsBoundedAndShowsThemAsATable() {
        // STEADY: the follower's 64 recent events must hold this leader's messages (FAST's leader moved when starved)
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).config(RaftNodeCluster.STEADY).recentEvents(64)
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.result(Submit.retrying(leader, "x".getBytes(StandardCharsets.UTF_8)), DEADLINE);
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));
        Await.until("the follower to apply the command", () -> follower.status().lastApplied() >= 2);

        List<TraceEvent> events = follower.recentEvents();
        assertTrue(!events.isEmpty() && events.size() <= 64, events.toString());
        assertTrue(events.stream().allMatch(e -> follower.nodeId().equals(e.node())), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.received() != null
                        && e.received().from().equals(leader.nodeId())),
                "the follower heard the leader: " + events);
        String table = follower.recentEventsTable();
        assertTrue(table.lines().findFirst().orElseThrow().matches("\\s*time ms\\s*\\| " + follower.nodeId()),
                table);
        assertTrue(table.contains("← " + leader.nodeId() + " AppendEntries"), table);
        assertTrue(table.contains("→ " + leader.nodeId() + " AppendResp"), table);
    }

    @Test
    void zeroTurnsItOffAndANegativeCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RaftNode.builder().recentEvents(-1));
        RaftNode off = RaftNode.builder().nodeId("n1").members(Set.of("n1")).clusterId("c")
                .config(RaftNodeCluster.FAST).transport(new InMemoryNetwork().transport("n1"))
                .log(new InMemoryLog()).stateMachine(new RecordingStateMachine())
                .recentEvents(0).build();
        try {
            off.start();
            Await.until("the single node to lead", () -> off.status().isLeader());
            assertEquals(List.of(), off.recentEvents());
        } finally {
            off.close();
        }
    }
}
