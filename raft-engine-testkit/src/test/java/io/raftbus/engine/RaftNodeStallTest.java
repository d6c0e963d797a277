package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.HoldingTransport;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A leader whose event loop stalls (here: its state machine takes longer than the CheckQuorum window to apply one
 * command, as a slow fsync or a GC pause would) must not depose itself when it resumes: its followers' answers,
 * which queued while it was stalled, are heard before CheckQuorum judges the silence. The followers' election
 * timeouts are long, so nothing but the leader's own CheckQuorum could end its term.
 */
class RaftNodeStallTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    /**
     * Long enough that a busy machine starving the followers cannot by itself end the term (measured stalls: <1 s),
     * scaled by the tests' shared factor: on a machine that starves threads for longer (a verify at {@code nice 19}
     * beside CPU-bound jobs did), followers silent past the window make CheckQuorum end the term, rightly.
     */
    private static final long LEADER_QUORUM_WINDOW_MS = TestDeadlines.scaled(Duration.ofSeconds(1)).toMillis();

    private final List<RaftNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(RaftNode::crash);
    }

    @Test
    void aLeaderStalledPastItsCheckQuorumWindowKeepsLeadingWhenItsFollowersAnswered() throws InterruptedException {
        InMemoryNetwork network = new InMemoryNetwork();
        List<String> stepDowns = new CopyOnWriteArrayList<>();
        HoldingTransport n3Sends = new HoldingTransport(network.transport("n3"));
        StateMachine stallingOnce = (index, command) -> {
            if (new String(command).equals("stall")) {
                n3Sends.release(); // n3's answer to the stalling entry reaches n1 now, while n1 is stalled
                try { // longer than the CheckQuorum window: the followers' answers to this Ready's messages queue
                    TimeUnit.MILLISECONDS.sleep(5 * LEADER_QUORUM_WINDOW_MS / 2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return command;
        };
        // commit notices at once: the Ready that stalls then carries them, so the followers have something to answer
        // during the stall (with the default delay they would be sent, and answered, only after it)
        RaftConfig fast = RaftConfig.builder().electionTimeoutMs(LEADER_QUORUM_WINDOW_MS, 2 * LEADER_QUORUM_WINDOW_MS)
                .heartbeatIntervalMs(30).commitNoticeDelayMs(0).build();
        RaftConfig patient = RaftConfig.builder().electionTimeoutMs(60_000, 120_000).heartbeatIntervalMs(30).build();
        RaftNode leader = node("n1", fast, network, stallingOnce);
        leader.addListener(new RaftListener() {
            @Override
            public void onRoleChange(String nodeId, Role from, Role to, long term) {
                if (from == Role.LEADER) {
                    stepDowns.add(from + " -> " + to + " in term " + term);
                }
            }
        });
        node("n2", patient, network, (index, command) -> command);
        node("n3", patient, n3Sends, (index, command) -> command);
        nodes.forEach(RaftNode::start);
        Await.until("n1, the only node with a short election timeout, to lead", () -> leader.status().isLeader());
        long term = leader.status().term();
        Await.result(leader.submit(bytes("before")), DEADLINE);

        n3Sends.holdOutbound(message -> true); // so that an answer queues during the stall, whatever the threads' timing: n1 commits
        // "stall" with n2's answer and stalls applying it; n3's answer is delivered only then
        Await.result(leader.submit(bytes("stall")), DEADLINE);
        Await.result(leader.submit(bytes("after")), DEADLINE);

        assertEquals(Role.LEADER, leader.status().role(), "a stall of its own is no reason to step down");
        assertEquals(term, leader.status().term());
        assertEquals(List.of(), stepDowns, "n1 never stepped down");
    }

    private RaftNode node(String id, RaftConfig config, InMemoryNetwork network, StateMachine machine) {
        return node(id, config, network.transport(id), machine);
    }

    private RaftNode node(String id, RaftConfig config, Transport transport, StateMachine machine) {
        RaftNode node = RaftNode.builder().nodeId(id).members(MEMBERS).clusterId("stall").config(config)
                .transport(transport).log(new InMemoryLog()).stateMachine(machine).randomSeed(1).build();
        nodes.add(node);
        return node;
    }
}
