package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code demo}: an embedded Kafka broker and a three-node cluster in this process, driven from a console. The
 * broker's data is always temporary; the nodes' SQLite logs go to the data directory (kept when given with
 * {@code --data}, so a second run resumes the same cluster).
 */
final class DemoMode {

    static final String CLUSTER_ID = "raftbus-kv-demo";
    static final List<String> NODE_IDS = List.of("n1", "n2", "n3");
    static final Duration LEADER_WAIT = Duration.ofSeconds(30);
    /** Entries a demo node's log keeps before its latest snapshot (the library's default is 10,000). */
    static final long DEMO_LOG_TRAILING_ENTRIES = 50;
    /** Entries applied between a demo node's automatic snapshots (the library's default is 10,000). */
    static final long DEMO_SNAPSHOT_EVERY_ENTRIES = 1_000;
    /**
     * The demo's nodes: the library's defaults, but snapshots every 1,000 entries that keep only 50 entries before
     * them, so that a node down for a few hundred commands is caught up by the leader's snapshot (see
     * {@code examples/scripts/catch-up-by-snapshot.txt}) rather than from the leader's log.
     */
    static final RaftConfig CONFIG = RaftConfig.defaults().toBuilder()
            .logTrailingEntries(DEMO_LOG_TRAILING_ENTRIES)
            .snapshotEveryEntries(DEMO_SNAPSHOT_EVERY_ENTRIES)
            .build();

    private DemoMode() {
    }

    /**
     * Runs the demo until {@code quit} or end of input.
     *
     * @param interactive whether a person types at a terminal: then a banner and a prompt are shown; otherwise only
     *                    the commands' result lines go to {@code out}
     * @return the exit code
     */
    static int run(Invocation.Demo demo, BufferedReader in, PrintStream out, PrintStream err, boolean interactive,
                   Duration commandTimeout) throws IOException {
        return run(demo, in, out, err, interactive, commandTimeout, cluster -> { });
    }

    /**
     * As {@link #run(Invocation.Demo, BufferedReader, PrintStream, PrintStream, boolean, Duration)}, handing the
     * cluster to {@code beforeClose} once the console has ended, before the nodes stop (tests look inside nodes).
     */
    static int run(Invocation.Demo demo, BufferedReader in, PrintStream out, PrintStream err, boolean interactive,
                   Duration commandTimeout, Consumer<LocalCluster> beforeClose) throws IOException {
        long began = System.nanoTime();
        boolean temporary = demo.dataDir() == null;
        Path dataDir = temporary ? Files.createTempDirectory("raftbus-demo-") : demo.dataDir();
        DataDirectory.create(dataDir);
        Closer closer = new Closer();
        if (temporary) {
            closer.register(() -> deleteRecursively(dataDir));
        } else {
            closer.register(DemoDirectoryLock.acquire(dataDir)); // a second demo on it fails now, not after start-up
        }
        Thread shutdownHook = new Thread(closer::close, "raftbus-kv-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook); // Ctrl-C still stops the nodes and the broker cleanly
        try {
            if (interactive) {
                out.println("raftbus key-value demo: starting an embedded Kafka broker and nodes "
                        + String.join(", ", NODE_IDS) + "...");
            }
            EmbeddedKafkaBroker broker = closer.register(EmbeddedKafkaBroker.start());
            LocalCluster cluster = closer.register(LocalCluster.start(CLUSTER_ID, broker.bootstrapServers(), dataDir,
                    CONFIG, NODE_IDS));
            if (interactive) {
                out.println("Kafka at " + broker.bootstrapServers() + "; SQLite logs in " + dataDir
                        + (temporary ? " (deleted at exit)" : ""));
            }
            boolean elected = cluster.awaitLeader(LEADER_WAIT);
            String waited = String.format("%.1f s", (System.nanoTime() - began) / 1e9);
            if (!elected) {
                err.println("warning: no leader elected within " + LEADER_WAIT.toSeconds() + " s; commands will fail"
                        + " until one is");
            } else if (interactive) {
                out.println("leader " + cluster.leaderId().orElse("?") + " elected, " + waited
                        + " after start. Type help for the commands, quit to leave.");
            }
            new KvConsole(cluster, commandTimeout).run(in, out, interactive);
            beforeClose.accept(cluster);
        } finally {
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; it closes everything itself
            }
            closer.close();
        }
        return 0;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the demo's temporary directory " + dir, e);
        }
    }
}
