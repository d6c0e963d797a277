package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.spi.SnapshotInfo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The cluster the demo console drives: submits commands and injects faults. */
interface DemoCluster extends AutoCloseable {

    /**
     * Submits an encoded {@link KvCommand} to a live node and waits for its result.
     *
     * @return the state machine's result bytes
     * @throws ClusterException when no leader is available, the command timed out or its outcome is unknown
     */
    byte[] submit(byte[] command, Duration timeout);

    /**
     * A linearizable read (no log entry), retried like {@link #submit} until {@code timeout}.
     *
     * @throws ClusterException as {@link #submit}
     */
    byte[] read(byte[] query, Duration timeout);

    /** One view per node, in node-id order. */
    List<NodeView> status();

    /** Waits until some reachable live node is leader; false if none became leader within {@code timeout}. */
    boolean awaitLeader(Duration timeout);

    /** Crashes a node (no goodbye to the others), keeping its log. @throws ClusterException if unknown or down */
    void kill(String nodeId);

    /**
     * Stops a node cleanly, keeping its log: a leader first hands leadership to a follower. Returns the leader it
     * handed over to, if it was the leader and did. @throws ClusterException if unknown or already down
     */
    Optional<String> stop(String nodeId);

    /**
     * Has a running node take a snapshot now (waiting at most {@code timeout}) and returns it.
     *
     * @throws ClusterException if unknown, down, without snapshots, or the snapshot failed or took too long
     */
    SnapshotInfo snapshot(String nodeId, Duration timeout);

    /**
     * Waits until a running, reachable node has applied every entry that some reachable node knew committed when the
     * call began, and returns the node's status then.
     *
     * @throws ClusterException if unknown, down or partitioned (it cannot catch up), or not caught up within
     *                          {@code timeout} (the message says how far it got and what it knows of a leader)
     */
    RaftStatus awaitApplied(String nodeId, Duration timeout);

    /** Starts a killed node again on its log. @throws ClusterException if unknown or already up */
    void restart(String nodeId);

    /** Pauses a node's transport both ways. @throws ClusterException if unknown or already partitioned */
    void partition(String nodeId);

    /** Resumes a partitioned node's transport. @throws ClusterException if unknown or not partitioned */
    void heal(String nodeId);

    @Override
    void close();
}
