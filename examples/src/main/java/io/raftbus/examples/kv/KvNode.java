package io.raftbus.examples.kv;

import io.raftbus.engine.testing.PausableTransport;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.SnapshotMeta;
import io.raftbus.sqlite.SqliteLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running key-value node: a {@link RaftNode} with a SQLite log, a Kafka transport that can be paused, an
 * in-memory {@link KvStateMachine} rebuilt at every start from the latest snapshot and the log after it, and a
 * {@link io.raftbus.engine.snapshot.FileSnapshotStore} in {@code <nodeId>.snapshots} beside the log file (only if
 * the log can be compacted; otherwise the node runs without snapshots and says so). Every node runs client sessions
 * ({@link RaftNode.Builder#sessions}, idle timeout {@link #SESSION_IDLE_TIMEOUT_MS} of log time): each command is
 * applied exactly once however often a client retries it. A log written without sessions is refused at start
 * ({@link SessionLogCheck}).
 *
 * @param node the running node (owns the transport and the log, closes them)
 * @param transport the node's transport, for partition/heal
 * @param stateMachine the node's state
 */
record KvNode(RaftNode node, PausableTransport transport, KvStateMachine stateMachine) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KvNode.class);

    /** How long a client session may stay idle, in log time, before the cluster forgets it; the same on every node. */
    static final long SESSION_IDLE_TIMEOUT_MS = 60 * 60 * 1000L;

    /** Opens {@code logFile}, connects to Kafka and starts the node. */
    static KvNode start(String nodeId, Set<String> members, String clusterId, String bootstrapServers, Path logFile,
                        RaftConfig config, boolean partitioned) {
        return start(nodeId, members, false, clusterId, bootstrapServers, Map.of(), logFile, config, partitioned);
    }

    /**
     * Opens {@code logFile}, connects to Kafka (with {@code kafkaProperties}, e.g. security settings) and starts the
     * node. The transport's settings (cluster and node names among them) are validated before the log file is
     * touched, so a rejected name leaves no file claimed by it.
     *
     * @param members the voters this node starts with; with {@code join}, the voters of the cluster it joins
     *                (without itself)
     * @param join start outside the cluster ({@link RaftNode.Builder#join}), to be added by the leader's
     *             {@code addMember}: it never campaigns until a configuration naming it as a voter reaches it. Its
     *             transport counts it among the members, so it creates its own inbox topic at start
     */
    static KvNode start(String nodeId, Set<String> members, boolean join, String clusterId, String bootstrapServers,
                        Map<String, String> kafkaProperties, Path logFile, RaftConfig config, boolean partitioned) {
        Set<String> transportMembers = new java.util.TreeSet<>(members);
        transportMembers.add(nodeId);
        PausableTransport transport = new PausableTransport(KafkaTransports.forNode(bootstrapServers, clusterId,
                join ? transportMembers : members, kafkaProperties), partitioned);
        LogAPI log;
        try {
            log = SqliteLog.open(logFile, clusterId, nodeId);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        try {
            SessionLogCheck.requireSessionCommands(log, logFile);
        } catch (RuntimeException e) {
            log.close();
            transport.close();
            throw e;
        }
        KvStateMachine stateMachine = new KvStateMachine();
        RaftNode node;
        try {
            RaftNode.Builder builder = RaftNode.builder()
                    .nodeId(nodeId)
                    .members(members)
                    .join(join)
                    .clusterId(clusterId)
                    .config(config)
                    .transport(transport)
                    .log(log)
                    .stateMachine(stateMachine)
                    .sessions(SESSION_IDLE_TIMEOUT_MS);
            if (canCompact(log)) {
                builder.snapshotDirectory(snapshotDirectory(logFile, nodeId));
            } else {
                LOG.warn("node {}: its log cannot be compacted, so it runs without snapshots", nodeId);
            }
            node = builder.build();
        } catch (RuntimeException e) {
            transport.close();
            log.close();
            throw e;
        }
        try {
            node.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return new KvNode(node, transport, stateMachine);
    }

    /** Where the node whose log is {@code logFile} keeps its snapshots. */
    static Path snapshotDirectory(Path logFile, String nodeId) {
        return logFile.resolveSibling(nodeId + ".snapshots");
    }

    /** Whether the log compacts: asked to compact through its compacted prefix (a no-op), one that cannot throws. */
    static boolean canCompact(LogAPI log) {
        SnapshotMeta compacted = log.snapshotMeta();
        try {
            log.compactPrefix(compacted.index(), compacted.term());
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Closes the node, its transport and its log, without a word to the others (the demo's crash). */
    @Override
    public void close() {
        node.close();
    }

    /**
     * Stops cleanly: a leader first hands leadership to a follower (waiting at most two maximum election timeouts),
     * then closes. Returns the leader it handed over to, if it did.
     */
    Optional<String> stop() {
        Optional<String> successor = Optional.empty();
        if (node.status().isLeader()) {
            long waitMs = 2 * node.config().electionTimeoutMaxMs() + 1_000;
            try {
                successor = Optional.of(node.transferLeadership(null).get(waitMs, TimeUnit.MILLISECONDS));
            } catch (ExecutionException | TimeoutException e) {
                successor = Optional.empty(); // no one could take over: stop anyway, as a crash would
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        node.close();
        return successor;
    }
}
