package io.raftbus.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker running inside this JVM in KRaft mode (broker and controller combined in
 * one process), bound to 127.0.0.1 on free ports.
 *
 * <p>Lifecycle: {@link #start()} formats a fresh temporary data directory and starts the broker; {@link #stop()}
 * shuts it down but keeps the data directory and ports, so {@link #restart()} brings back the same broker with the
 * same topics and offsets at the same bootstrap address; {@link #close()} stops it and deletes a data directory this
 * class created. Not thread-safe: drive one instance from one thread at a time.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 5;

    private final Path dataDir;
    private final boolean ownsDataDir;
    private volatile int brokerPort;
    private volatile int controllerPort;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, boolean ownsDataDir) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /** Starts a broker on a fresh temporary data directory that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("raftbus-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory for the embedded Kafka broker", e);
        }
        return startIn(dir, true);
    }

    /**
     * Starts a broker whose data lives in {@code dataDir} (created if missing, must be empty or absent: it is
     * formatted). The directory is kept by {@link #close()}.
     */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded Kafka data directory " + dataDir, e);
        }
        return startIn(dataDir, false);
    }

    private static EmbeddedKafkaBroker startIn(Path dir, boolean owned) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, owned);
        try {
            broker.formatAndStart();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The {@code host:port} address for clients' {@code bootstrap.servers}; stable across stop/restart. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The directory holding the broker's metadata and topic logs. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is currently running. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down, keeping its data directory and ports for {@link #restart()}. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long begin = System.nanoTime();
        KafkaRaftServer running = server;
        server = null;
        shutDown(running);
        LOG.info("Embedded Kafka broker at {} stopped in {} ms", bootstrapServers(), millisSince(begin));
    }

    /** Starts a stopped broker again on the same ports and data: topics and committed offsets survive. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("The embedded Kafka broker was closed; start a new one instead");
        }
        stop();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                launch();
                return;
            } catch (RuntimeException e) {
                if (!isBindFailure(e)) {
                    throw e;
                }
                last = e;
                LOG.warn("Port {} or {} still busy on restart (attempt {}/{}), retrying",
                        brokerPort, controllerPort, attempt, START_ATTEMPTS);
                waitForPortsToFree();
            }
        }
        throw new IllegalStateException("Cannot restart the embedded Kafka broker on " + bootstrapServers()
                + ": its ports stayed in use", last);
    }

    /** Stops the broker and deletes the data directory if {@link #start()} created it. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            closed = true;
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    private void formatAndStart() {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            brokerPort = freePort();
            controllerPort = freePort();
            try {
                format();
                launch();
                return;
            } catch (RuntimeException e) {
                if (!isBindFailure(e)) {
                    throw e;
                }
                last = e;
                LOG.warn("Lost a port race on {} / {} (attempt {}/{}), retrying on new ports",
                        brokerPort, controllerPort, attempt, START_ATTEMPTS);
                clearDirectory(dataDir);
            }
        }
        throw new IllegalStateException("Cannot bind the embedded Kafka broker after " + START_ATTEMPTS + " attempts",
                last);
    }

    private void format() {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(dataDir.toString())
                    .setMetadataLogDirectory(dataDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the embedded Kafka data directory " + dataDir, e);
        }
    }

    private void launch() {
        long begin = System.nanoTime();
        KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(brokerProperties(), false), Time.SYSTEM);
        boolean started = false;
        try {
            candidate.startup();
            started = true;
        } finally {
            if (!started) {
                shutDown(candidate);
            }
        }
        server = candidate;
        LOG.info("Embedded Kafka broker started at {} in {} ms (data {})", bootstrapServers(), millisSince(begin),
                dataDir);
    }

    private Map<String, Object> brokerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST
                + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("metadata.log.dir", dataDir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        return props;
    }

    private static void shutDown(KafkaRaftServer server) {
        try {
            server.shutdown();
        } finally {
            server.awaitShutdown();
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Address already in use") || message.contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private void waitForPortsToFree() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && !(isFree(brokerPort) && isFree(controllerPort))) {
            LockSupport.parkNanos(50_000_000L);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free local port for the embedded Kafka broker", e);
        }
    }

    private static long millisSince(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000;
    }

    private static void clearDirectory(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(EmbeddedKafkaBroker::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the embedded Kafka data directory " + dir, e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete the embedded Kafka data directory {}: {}", root, e.toString());
        }
    }
}
