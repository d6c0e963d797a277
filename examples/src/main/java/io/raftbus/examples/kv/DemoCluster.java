package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.spi.SnapshotInfo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Starts a new node {@code nodeId} in join mode (empty log, outside the cluster) and has the leader make it a
     * voter (a learner first, promoted once caught up), then waits until the node itself knows it is a voter: at most
     * {@code timeout} in all. Called again for a node whose earlier add did not complete, it only asks the leader
     * again. Returns the voters then.
     *
     * @throws ClusterException if the id is taken (or was removed), no leader is available, or the change was
     *                          refused or not done within {@code timeout} (the message says whether it may still be)
     */
    Set<String> add(String nodeId, Duration timeout);

    /**
     * Has the leader remove {@code nodeId} (the leader itself included: it hands leadership over once the removal
     * commits) and, once committed, stops the node, after waiting (within {@code timeout}) until it knows it was
     * removed. The node then stays listed as removed.
     *
     * @throws ClusterException if unknown or removed already, the last voter, or not removed within {@code timeout}
     */
    Removal remove(String nodeId, Duration timeout);

    /**
     * What {@link #remove} did.
     *
     * @param voters the voters afterwards
     * @param stopped whether the node was running and has been stopped
     * @param learned whether it knew of its removal before it stopped (false: it was cut off, or too slow to hear)
     * @param leader the leader afterwards, if one is known
     */
    record Removal(Set<String> voters, boolean stopped, boolean learned, Optional<String> leader) {
    }

    /** Starts a killed node again on its log. @throws ClusterException if unknown or already up */
    void restart(String nodeId);

    /** Pauses a node's transport both ways. @throws ClusterException if unknown or already partitioned */
    void partition(String nodeId);

    /** Resumes a partitioned node's transport. @throws ClusterException if unknown or not partitioned */
    void heal(String nodeId);

    @Override
    void close();
}
