package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.Role;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * {@code node}: one key-value node against an existing Kafka, running until the process is stopped (Ctrl-C or
 * SIGTERM close it cleanly). Prints a line when it starts and whenever its role or known leader changes.
 */
final class NodeMode {

    private NodeMode() {
    }

    /** Runs the node until the JVM shuts down; returns only if interrupted. */
    static int run(Invocation.Node options, PrintStream out) throws IOException, InterruptedException {
        Files.createDirectories(options.dataDir());
        KvNode node = KvNode.start(options.nodeId(), options.members(), options.clusterId(),
                options.bootstrapServers(), options.dataDir().resolve(options.nodeId() + ".db"), RaftConfig.defaults(),
                false);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            out.println(options.nodeId() + ": stopped");
            out.flush();
            closed.countDown();
        }, "raftbus-kv-shutdown"));
        out.println(options.nodeId() + ": started; cluster " + options.clusterId() + ", members "
                + String.join(",", options.members().stream().sorted().toList()) + ", Kafka "
                + options.bootstrapServers() + ", log " + options.dataDir().resolve(options.nodeId() + ".db")
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
        });
        closed.await();
        return 0;
    }
}
