package io.raftbus.examples.kv;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** What the command line asked for; produced by {@link CommandLine#parse(String[])}. */
sealed interface Invocation {

    /** The default cluster id for {@code node} and {@code client}. */
    String DEFAULT_CLUSTER = "raftbus-kv";
    /** The default members of {@code client} and of the demo. */
    List<String> DEFAULT_MEMBERS = List.of("n1", "n2", "n3");
    /** How long the demo and the client wait for a command's result by default. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Print the usage text and exit 0. */
    record Help() implements Invocation {
    }

    /**
     * {@code demo}: a broker and three nodes in this process, and a console.
     *
     * @param dataDir where the logs and the broker's data go; {@code null} for a fresh temporary directory that is
     *                deleted at exit
     */
    record Demo(Path dataDir) implements Invocation {
    }

    /** {@code node}: one node against an existing Kafka, until the process is stopped. */
    record Node(String nodeId, Set<String> members, String bootstrapServers, Path dataDir, String clusterId)
            implements Invocation {
    }

    /** {@code client}: one key-value command sent to the cluster through Kafka. */
    record Client(String bootstrapServers, List<String> members, String clusterId, Duration timeout,
                  KvCommand command) implements Invocation {
    }
}
