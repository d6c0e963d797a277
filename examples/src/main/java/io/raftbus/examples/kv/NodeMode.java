package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.Role;
import io.raftbus.kafka.KafkaTransport;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code node}: one key-value node against an existing Kafka, running until the process is stopped (Ctrl-C or
 * SIGTERM close it cleanly) or the node stops on a fatal error (exit code 1). Prints a line when it starts and
 * whenever its role or known leader changes, and once per stretch without a leader of 10 s or more
 * ({@link LeaderlessWatch}: mismatched {@code --members} would otherwise be silent). With {@code --metrics-log} it
 * prints a metrics line every so often ({@link MetricsLog}); with {@code --metrics-port} it serves Prometheus
 * metrics ({@link PrometheusEndpoint}).
 */
final class NodeMode {

    private NodeMode() {
    }

    /** Runs the node until the JVM shuts down (0) or the node stops on a fatal error (1). */
    static int run(Invocation.Node options, PrintStream out) throws IOException, InterruptedException {
        DataDirectory.create(options.dataDir());
        KvNode node = KvNode.start(options.nodeId(), options.members(), options.clusterId(),
                options.bootstrapServers(), options.kafkaProperties(),
                options.dataDir().resolve(options.nodeId() + ".db"), RaftConfig.defaults(), false);
        KafkaTransport transport = (KafkaTransport) node.transport().delegate();
        LeaderlessWatch watch = new LeaderlessWatch(node.node(), transport::dropCounts, out,
                Duration.ofMillis(Math.max(10_000, 10 * node.node().config().electionTimeoutMaxMs())), System::nanoTime,
                true);
        MetricsLog metricsLog = options.metricsLogSeconds() == 0 ? null
                : new MetricsLog(node.node(), transport, out, Duration.ofSeconds(options.metricsLogSeconds()));
        PrometheusEndpoint endpoint = null;
        if (options.metricsPort() != 0) {
            try {
                endpoint = new PrometheusEndpoint(node.node(), transport, options.metricsPort());
            } catch (IOException e) {
                if (metricsLog != null) {
                    metricsLog.close();
                }
                watch.close();
                node.close();
                throw new IOException("cannot serve metrics on port " + options.metricsPort() + ": " + e.getMessage(),
                        e);
            }
        }
        PrometheusEndpoint metricsEndpoint = endpoint;
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(0);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (metricsLog != null) {
                metricsLog.close();
            }
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            watch.close();
            node.close();
            out.println(options.nodeId() + ": stopped");
            out.flush();
            closed.countDown();
        }, "raftbus-kv-shutdown"));
        out.println(options.nodeId() + ": started; cluster " + options.clusterId() + ", members "
                + String.join(",", options.members().stream().sorted().toList()) + ", Kafka "
                + options.bootstrapServers() + ", log " + options.dataDir().resolve(options.nodeId() + ".db")
                + (metricsEndpoint == null ? "" : ", metrics at http://localhost:" + metricsEndpoint.port()
                        + PrometheusEndpoint.PATH)
                + ". Ctrl-C to stop.");
        out.flush();
        node.node().addListener(new RaftListener() {
            @Override
            public void onRoleChange(String nodeId, Role from, Role to, long term) {
                out.println(nodeId + ": " + from + " -> " + to + " in term " + term);
                out.flush();
            }

            @Override
            public void onLeaderChange(String nodeId, String leaderId, long term) {
                out.println(nodeId + ": leader is " + (leaderId == null ? "unknown" : leaderId) + " in term " + term);
                out.flush();
            }

            @Override
            public void onFatalError(String nodeId, RaftException error) {
                out.println(nodeId + ": stopped on a fatal error: " + error.getMessage());
                out.flush();
                exitCode.set(1);
                closed.countDown();
            }
        });
        closed.await();
        return exitCode.get();
    }
}
