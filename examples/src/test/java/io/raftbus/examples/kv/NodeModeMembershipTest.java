package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code node --join} and the node console: a fourth node started in join mode is added at the leader's console,
 * then removed there, and stops by itself once it knows.
 */
class NodeModeMembershipTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(90);

    @Test
    void aJoiningNodeIsAddedAndRemovedAtTheLeadersConsoleAndStopsByItself(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             LocalCluster cluster = LocalCluster.start(Invocation.DEFAULT_CLUSTER, broker.bootstrapServers(),
                     dataDir, RaftConfig.defaults(), Invocation.DEFAULT_MEMBERS)) {
            assertTrue(cluster.awaitLeader(DEADLINE), "a leader is elected");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Invocation.Node n4 = new Invocation.Node("n4", Set.of("n1", "n2", "n3"), broker.bootstrapServers(),
                    dataDir.resolve("n4"), Invocation.DEFAULT_CLUSTER, Map.of(), 0, 0, true);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return NodeMode.run(n4, InputStream.nullInputStream(), out);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Await.until("n4 started", () -> output(bytes).contains("n4: started to join"), DEADLINE);

            String leader = Await.value("a leader", () -> cluster.leaderId().orElse(null), DEADLINE);
            String follower = Invocation.DEFAULT_MEMBERS.stream().filter(id -> !id.equals(leader)).findFirst()
                    .orElseThrow();
            String refused = console(cluster, follower).execute(List.of("add", "n4"));
            assertTrue(refused.startsWith("ERROR " + follower + " is not the leader"), refused);

            String added = Await.value("the leader's console adds n4",
                    () -> retryIfLeaderMoved(cluster, List.of("add", "n4")), DEADLINE);
            assertEquals("OK n4 is a voter; voters n1,n2,n3,n4", added);
            Await.until("n4 reports it is a voter", () -> output(bytes).contains("n4: voters n1,n2,n3,n4"), DEADLINE);

            String removed = Await.value("the leader's console removes n4",
                    () -> retryIfLeaderMoved(cluster, List.of("remove", "n4")), DEADLINE);
            assertEquals("OK n4 removed; voters n1,n2,n3", removed);
            int code;
            try {
                code = exit.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("n4 did not stop within " + DEADLINE + "; it printed:\n" + output(bytes), e);
            }
            assertEquals(0, code, () -> output(bytes));
            assertTrue(output(bytes).contains("n4: removed from the cluster (voters n1,n2,n3); stopping"),
                    () -> output(bytes));
            assertTrue(output(bytes).contains("n4: stopped"), () -> output(bytes));
        }
    }

    private static NodeConsole console(LocalCluster cluster, String nodeId) {
        RaftNode node = cluster.raftNode(nodeId).orElseThrow();
        return new NodeConsole(node, DEADLINE);
    }

    /** The leader's console answer; null (ask again) if the node asked was no longer the leader. */
    private static String retryIfLeaderMoved(LocalCluster cluster, List<String> command) {
        String leader = cluster.leaderId().orElse(null);
        if (leader == null) {
            return null;
        }
        String answer = console(cluster, leader).execute(command);
        return answer.contains("is not the leader") ? null : answer;
    }

    private static String output(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
