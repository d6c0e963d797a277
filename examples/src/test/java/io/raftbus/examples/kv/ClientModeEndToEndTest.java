package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code client} mode against three nodes (as {@code node} runs them) on a real broker. */
class ClientModeEndToEndTest {

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        broker = EmbeddedKafkaBroker.start();
        cluster = LocalCluster.start(Invocation.DEFAULT_CLUSTER, broker.bootstrapServers(), dataDir,
                RaftConfig.defaults(), Invocation.DEFAULT_MEMBERS);
        assertTrue(cluster.awaitLeader(TestDeadlines.seconds(60)), "a leader is elected");
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run client(String... words) {
        List<String> args = new ArrayList<>(List.of("client", "--bootstrap", broker.bootstrapServers(),
                "--timeout", String.valueOf(TestDeadlines.seconds(30).toSeconds())));
        args.addAll(List.of(words));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return new Run(exit, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aClientPutIsAppliedAndReadBackThroughAFollowerThatRedirectsIt() {
        Run put = client("put", "x", "42");
        assertEquals(new Run(0, "OK x = 42", ""), put);

        String leader = Await.value("a leader", () -> cluster.leaderId().orElse(null), TestDeadlines.seconds(60));
        String follower = Invocation.DEFAULT_MEMBERS.stream().filter(id -> !id.equals(leader)).findFirst()
                .orElseThrow();
        Run get = client("--members", follower + "," + leader, "get", "x");
        assertEquals(new Run(0, "OK x = 42", ""), get);

        assertEquals("CAS_FAILED x = 42", client("cas", "x", "41", "43").out());
        assertEquals("OK x = 43", client("cas", "x", "42", "43").out());

        Await.until("the four clients' inbox topics to be deleted", () -> clientInboxes().isEmpty(),
                TestDeadlines.seconds(30));
        // each run closed its session at exit (the get, a read, opened none): nothing is left to expire in an hour
        Await.until("every client's session closed", () -> cluster.status().stream()
                .filter(v -> v.sessions() != null).allMatch(v -> v.sessions().openSessions() == 0),
                TestDeadlines.seconds(30));
    }

    private static Set<String> clientInboxes() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listTopics().names().get().stream().filter(t -> t.contains(".client-"))
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError("listing topics failed", e);
        }
    }

    @Test
    void anUnreachableKafkaFailsWithinTheTimeoutAndExitsOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"client", "--bootstrap", "127.0.0.1:1", "--timeout", "1", "get", "x"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(Main.FAILURE, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: "), err::toString);
    }
}
