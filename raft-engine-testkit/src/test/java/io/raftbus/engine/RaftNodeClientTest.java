package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.raftbus.engine.TestNodes.bytes;
import static io.raftbus.engine.TestNodes.DEADLINE;
import static io.raftbus.engine.TestNodes.awaitApplied;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An external client (not a member) sends a CommandRequest and gets the state machine's result back. */
class RaftNodeClientTest {

    private RaftNodeCluster<RecordingStateMachine> cluster;
    private Transport client;

    @AfterEach
    void closeAll() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anExternalClientGetsTheAppliedResult() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        List<RaftMessage> inbox = new CopyOnWriteArrayList<>();
        client = cluster.network().transport("client-1");
        client.start("client-1", inbox::add);

        client.send(new CommandRequest("test-cluster", "client-1", leader.nodeId(), 0, 42, bytes("from-client")));

        CommandResponse response = Await.value("the leader's answer", () -> inbox.stream()
                .filter(m -> m instanceof CommandResponse r && r.requestId() == 42)
                .map(m -> (CommandResponse) m).findFirst().orElse(null));
        assertEquals(CommandResponse.Status.APPLIED, response.status());
        assertEquals(leader.nodeId(), response.from());
        assertEquals("1", new String(response.result(), StandardCharsets.UTF_8));
        awaitApplied(cluster, cluster.nodes().keySet(), 1);
        assertEquals(List.of("from-client"), cluster.stateMachine(leader.nodeId()).applied());
        assertEquals(response.index(), cluster.stateMachine(leader.nodeId()).indexes().get(0));
    }

    @Test
    void aClientRetryWithTheSameRequestIdAfterTheCommandWasAppliedGetsItsResultAndAppliesNothingTwice() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        List<RaftMessage> inbox = new CopyOnWriteArrayList<>();
        client = cluster.network().transport("client-1");
        client.start("client-1", inbox::add);
        CommandRequest request = new CommandRequest("test-cluster", "client-1", leader.nodeId(), 0, 42,
                bytes("from-client"));

        client.send(request);
        Await.until("the first answer", () -> answers(inbox, 42).size() == 1);
        client.send(request); // the client did not hear, say, and asks again with the same request id

        Await.until("an answer to the retry", () -> answers(inbox, 42).size() == 2);
        CommandResponse retry = answers(inbox, 42).get(1);
        assertEquals(CommandResponse.Status.APPLIED, retry.status());
        assertEquals(answers(inbox, 42).get(0).index(), retry.index());
        assertEquals("1", new String(retry.result(), StandardCharsets.UTF_8));
        assertEquals(List.of("from-client"), cluster.stateMachine(leader.nodeId()).applied(), "applied once");
    }

    private static List<CommandResponse> answers(List<RaftMessage> inbox, long requestId) {
        return inbox.stream().filter(m -> m instanceof CommandResponse r && r.requestId() == requestId)
                .map(m -> (CommandResponse) m).toList();
    }

    @Test
    void aMessageForAnotherClusterIsDroppedAndCounted() {
        cluster = RaftNodeCluster.builder(3, RecordingStateMachine::new).build().start();
        RaftNode leader = cluster.awaitLeader(DEADLINE);
        List<RaftMessage> inbox = new CopyOnWriteArrayList<>();
        client = cluster.network().transport("client-1");
        client.start("client-1", inbox::add);

        client.send(new CommandRequest("other-cluster", "client-1", leader.nodeId(), 0, 7, bytes("stray")));

        Await.until("the leader to count the foreign message",
                () -> leader.dropCounts().getOrDefault("foreign-cluster", 0L) == 1L);
        assertEquals(List.of(), inbox);
        assertEquals(0, cluster.stateMachine(leader.nodeId()).size());
    }
}
