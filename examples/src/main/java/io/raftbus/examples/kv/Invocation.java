package io.raftbus.examples.kv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the command line asked for; produced by {@link CommandLine#parse(String[])}. */
sealed interface Invocation {

    /** The default cluster id for {@code node} and {@code client}. */
    String DEFAULT_CLUSTER = "raftbus-kv";
    /** The default members of {@code client} and of the demo. */
    List<String> DEFAULT_MEMBERS = List.of("n1", "n2", "n3");
    /**
     * The client's default {@code --timeout}: connecting to Kafka (which creates the client's inbox topic) and waiting
     * for the result, together.
     */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long the demo's console waits for a command's result (its nodes are already connected). */
    Duration DEMO_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /** Print the usage text and exit 0. */
    record Help() implements Invocation {
    }

    /**
     * {@code demo}: a broker and three nodes in this process, and a console.
     *
     * @param dataDir where the logs and the broker's data go; {@code null} for a fresh temporary directory that is
     *                deleted at exit
     * @param commandTimeout from {@code --timeout}: how long each console command may take, opening the console's
     *                       client session included
     */
    record Demo(Path dataDir, Duration commandTimeout) implements Invocation {

        /** A demo with the default command timeout. */
        Demo(Path dataDir) {
            this(dataDir, DEMO_COMMAND_TIMEOUT);
        }
    }

    /**
     * {@code node}: one node against an existing Kafka, until the process is stopped.
     *
     * @param kafkaProperties Kafka client (and {@code raftbus.*}) properties from {@code --command-config}, e.g. SASL
     *                        and TLS settings; empty without it
     * @param metricsLogSeconds from {@code --metrics-log}: print a metrics line this often; 0 for never
     * @param metricsPort from {@code --metrics-port}: serve Prometheus metrics on this port; 0 for no endpoint
     * @param join from {@code --join}: start outside the cluster, to be added by the leader; {@code members} are then
     *             the cluster's voters, without this node
     */
    record Node(String nodeId, Set<String> members, String bootstrapServers, Path dataDir, String clusterId,
                Map<String, String> kafkaProperties, int metricsLogSeconds, int metricsPort, boolean join)
            implements Invocation {

        Node(String nodeId, Set<String> members, String bootstrapServers, Path dataDir, String clusterId,
             Map<String, String> kafkaProperties, int metricsLogSeconds, int metricsPort) {
            this(nodeId, members, bootstrapServers, dataDir, clusterId, kafkaProperties, metricsLogSeconds, metricsPort,
                    false);
        }

        Node(String nodeId, Set<String> members, String bootstrapServers, Path dataDir, String clusterId,
             Map<String, String> kafkaProperties) {
            this(nodeId, members, bootstrapServers, dataDir, clusterId, kafkaProperties, 0, 0);
        }

        Node(String nodeId, Set<String> members, String bootstrapServers, Path dataDir, String clusterId) {
            this(nodeId, members, bootstrapServers, dataDir, clusterId, Map.of());
        }
    }

    /**
     * {@code client}: one key-value command sent to the cluster through Kafka.
     *
     * @param timeout bound on connecting and getting the result
     * @param kafkaProperties as for {@link Node}
     */
    record Client(String bootstrapServers, List<String> members, String clusterId, Duration timeout,
                  KvCommand command, Map<String, String> kafkaProperties) implements Invocation {

        Client(String bootstrapServers, List<String> members, String clusterId, Duration timeout, KvCommand command) {
            this(bootstrapServers, members, clusterId, timeout, command, Map.of());
        }
    }

    /** {@code broker}: a single-node development Kafka broker in this process, until the process is stopped. */
    record Broker() implements Invocation {
    }

    /**
     * {@code inspect}: describes nodes' SQLite logs read-only, without starting a node.
     *
     * @param dataDir the directory holding {@code <node>.db} files
     * @param nodeId the node whose log to describe; {@code null} for every {@code *.db} in {@code dataDir}
     * @param entries how many of the last entries to list
     */
    record Inspect(Path dataDir, String nodeId, int entries) implements Invocation {
    }
}
