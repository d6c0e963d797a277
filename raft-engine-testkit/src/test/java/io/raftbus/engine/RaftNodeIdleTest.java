package io.raftbus.engine;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idle cluster of real nodes: their event loops sleep until the protocol's next deadline instead of polling, and
 * still keep their leader (heartbeats go out in time, no follower times out) and commit what comes after the lull.
 */
class RaftNodeIdleTest {

    /**
     * Election timeouts of 50 heartbeats and more: a loop that slept past its heartbeat deadline would still cause
     * elections, while a loaded machine (CI runs at load 20 and more; a 400 ms timeout was missed there) does not.
     * Scaled by the tests' shared factor, like every real-thread deadline: on a machine that starves a thread for
     * seconds, a follower timing out is right, not a bug.
     */
    private static final long ELECTION_TIMEOUT_MS = TestDeadlines.scaled(Duration.ofSeconds(2)).toMillis();
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(ELECTION_TIMEOUT_MS, 2 * ELECTION_TIMEOUT_MS)
            .heartbeatIntervalMs(40)
            .build();
    /** How many maximum election timeouts the cluster stays idle, measured in the leader's heartbeats. */
    private static final int IDLE_ELECTION_TIMEOUTS = 2;

    private final Map<String, CountingTransport> transports = new ConcurrentHashMap<>();
    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anIdleClusterKeepsItsLeaderOverSeveralElectionTimeoutsAndThenCommits() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).config(CONFIG)
                .wrapTransports((id, transport) -> transports.computeIfAbsent(id, i -> new CountingTransport(transport)))
                .build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        Await.until("the followers to know the leader", () -> cluster.followers(leader).stream()
                .allMatch(f -> leader.nodeId().equals(cluster.node(f).status().leaderId())));
        long term = leader.status().term();

        // idle: no submit; the leader's heartbeats (one message per follower each) measure the time that passes
        long heartbeats = IDLE_ELECTION_TIMEOUTS * CONFIG.electionTimeoutMaxMs() / CONFIG.heartbeatIntervalMs();
        long until = transports.get(leader.nodeId()).sends() + heartbeats * cluster.followers(leader).size();
        Await.until("the leader to send " + heartbeats + " more heartbeats",
                () -> transports.get(leader.nodeId()).sends() >= until, DEADLINE);

        for (RaftNode node : cluster.nodes().values()) {
            assertEquals(term, node.status().term(), node.nodeId() + ": no election while idle");
            assertEquals(leader.nodeId(), node.status().leaderId(), node.nodeId() + ": still the same leader");
        }
        // after the lull, commands commit, from the leader and forwarded by a follower
        RaftNode follower = cluster.node(cluster.followers(leader).get(0));
        assertEquals("1", new String(Await.result(leader.submit(bytes("after-idle-1")), DEADLINE),
                StandardCharsets.UTF_8));
        assertEquals("2", new String(Await.result(follower.submit(bytes("after-idle-2")), DEADLINE),
                StandardCharsets.UTF_8));
    }
}
