package io.raftbus.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Common ground of the scenario tests: one real Kafka broker per test class, a temporary directory per test for
 * the SQLite files, a unique cluster id (hence unique inbox topics) per cluster, and closing of everything a test
 * started.
 */
public abstract class ScenarioBase {

    /**
     * Generous bound for waits that normally take well under a second; scaled by {@link TestDeadlines}. Only a
     * deadline for giving up: no scenario asserts how fast the cluster is.
     */
    protected static final Duration PATIENCE = TestDeadlines.seconds(60);

    @RegisterExtension
    protected static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    protected Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Starts an N-node cluster over Kafka and SQLite, closed after the test. */
    protected ClusterHarness startCluster(int size) {
        return startCluster(size, ClusterHarness.testConfig());
    }

    protected ClusterHarness startCluster(int size, RaftConfig config) {
        ClusterHarness cluster = ClusterHarness.start(new KafkaSqliteBackend(KAFKA.bootstrapServers()),
                KAFKA.uniqueName("c"), size, dir.resolve("cluster-" + toClose.size()), config);
        return closeAfter(cluster);
    }

    protected <T extends AutoCloseable> T closeAfter(T resource) {
        toClose.add(resource);
        return resource;
    }

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        toClose.clear();
        if (first != null) {
            throw first;
        }
    }
}
