package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.kafka.KafkaTransport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code node}: one key-value node against an existing Kafka, running until the process is stopped (Ctrl-C or
 * SIGTERM close it cleanly) or the node stops on a fatal error (exit code 1). Prints a line when it starts and
 * whenever its role or known leader changes, and once per stretch without a leader of 10 s or more
 * ({@link LeaderlessWatch}: mismatched {@code --members} would otherwise be silent). With {@code --metrics-log} it
 * prints a metrics line every so often ({@link MetricsLog}); with {@code --metrics-port} it serves Prometheus
 * metrics ({@link PrometheusEndpoint}). Its standard input is a {@link NodeConsole}: {@code add ID} and
 * {@code remove ID} typed at the leader change the membership. With {@code --join} the node starts outside the cluster
 * and waits to be added; a node removed from the cluster stops by itself (exit code 0) once it knows and no longer
 * leads.
 */
final class NodeMode {

    private NodeMode() {
    }

    /** How often the node's status is checked for its removal. */
    private static final long REMOVAL_POLL_MILLIS = 100;
    /** How long a console {@code add} or {@code remove} waits for the change to commit. */
    static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(60);

    /** As {@link #run(Invocation.Node, InputStream, PrintStream)} without a console. */
    static int run(Invocation.Node options, PrintStream out) throws IOException, InterruptedException {
        return run(options, InputStream.nullInputStream(), out);
    }

    /**
     * Runs the node until the JVM shuts down (0), the node is removed from the cluster (0) or stops on a fatal error
     * (1), reading console commands from {@code in} meanwhile.
     */
    static int run(Invocation.Node options, InputStream in, PrintStream out) throws IOException,
            InterruptedException {
        DataDirectory.create(options.dataDir());
        KvNode node = KvNode.start(options.nodeId(), options.members(), options.join(), options.clusterId(),
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
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
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
        };
        Thread shutdownHook = new Thread(stop, "raftbus-kv-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        out.println(options.nodeId() + ": started" + (options.join() ? " to join (not a member yet: type add "
                + options.nodeId() + " at the leader)" : "") + "; cluster " + options.clusterId() + ", members "
                + String.join(",", options.members().stream().sorted().toList()) + ", Kafka "
                + options.bootstrapServers() + ", log " + options.dataDir().resolve(options.nodeId() + ".db")
                + (metricsEndpoint == null ? "" : ", metrics at http://localhost:" + metricsEndpoint.port()
                        + PrometheusEndpoint.PATH)
                + ". Ctrl-C to stop.");
        out.flush();
        // set by the listener too: a node that joins and is removed again within one poll must still stop
        java.util.concurrent.atomic.AtomicBoolean wasMember = new java.util.concurrent.atomic.AtomicBoolean();
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
            public void onMembershipChange(String nodeId, Set<String> voters, Set<String> learners) {
                if (voters.contains(nodeId) || learners.contains(nodeId)) {
                    wasMember.set(true);
                }
                out.println(nodeId + ": voters " + KvFormat.ids(voters) + "; learners " + KvFormat.ids(learners));
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
        Thread console = new Thread(() -> {
            try {
                new NodeConsole(node.node(), MEMBERSHIP_TIMEOUT).run(
                        new BufferedReader(new InputStreamReader(in, Charset.defaultCharset())), out);
            } catch (IOException e) {
                out.println(options.nodeId() + ": console input failed: " + e.getMessage());
            }
        }, "raftbus-kv-console");
        console.setDaemon(true); // a read from a terminal cannot be interrupted; it must not keep the JVM alive
        console.start();
        while (!closed.await(REMOVAL_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            RaftStatus status = node.node().status();
            boolean member = status.isVoter() || status.learners().contains(options.nodeId());
            if (member) {
                wasMember.set(true);
            }
            if (wasMember.get() && status.isNonMember() && !status.isLeader()) {
                // removed, and (if it led) leadership handed over
                out.println(options.nodeId() + ": removed from the cluster (voters " + KvFormat.ids(status.voters())
                        + "); stopping");
                out.flush();
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running; it stops everything itself
                }
                stop.run();
                return 0;
            }
        }
        return exitCode.get();
    }
}
