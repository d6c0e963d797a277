package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code node --metrics-log} and {@code --metrics-port} over a single in-memory node (no Kafka). */
class NodeMetricsOutputTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);

    private RaftNodeCluster<RecordingStateMachine> cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theMetricsLineSaysRoleTermIndexesAndCommands() {
        RaftNode node = leaderWithOneCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MetricsLog log = new MetricsLog(node, null, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofMillis(50))) {
            String line = log.line();
            assertTrue(line.startsWith("n1 metrics: LEADER term="), line);
            assertTrue(line.contains(" commit=") && line.contains(" commands=1/1"), line);
            Await.until("a line printed by the timer", () -> bytes.toString(StandardCharsets.UTF_8)
                    .contains("n1 metrics: LEADER"));
        }
    }

    @Test
    void thePrometheusEndpointServesTheRaftMeters() throws Exception {
        RaftNode node = leaderWithOneCommand();
        try (PrometheusEndpoint endpoint = new PrometheusEndpoint(node, null, 0)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + PrometheusEndpoint.PATH)).timeout(DEADLINE)
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            String body = response.body();
            assertTrue(body.contains("raftbus_elections_won_total{cluster=\"" + cluster.clusterId()
                    + "\",node=\"n1\"}"), body);
            assertTrue(body.contains("raftbus_role{cluster=\"" + cluster.clusterId() + "\",node=\"n1\",role=\"LEADER\"} 1"),
                    body);
            assertTrue(body.contains("raftbus_log_append_seconds_count"), body);

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/other")).timeout(DEADLINE).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    private RaftNode leaderWithOneCommand() {
        cluster = RaftNodeCluster.builder(1, RecordingStateMachine::new).build().start();
        RaftNode node = cluster.awaitLeader(DEADLINE);
        Await.result(node.submit("x".getBytes(StandardCharsets.UTF_8)), DEADLINE);
        return node;
    }
}
