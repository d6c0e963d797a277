package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.session.SessionStats;

/**
 * What the demo console knows about one node.
 *
 * @param nodeId the node
 * @param up whether the node is running (not killed)
 * @param partitioned whether its transport is paused both ways
 * @param status the node's status when up, {@code null} when down
 * @param removed whether the node was removed from the cluster (it is then down for good)
 * @param sessions the node's client-session table figures when up and running sessions, else {@code null}
 */
record NodeView(String nodeId, boolean up, boolean partitioned, RaftStatus status, boolean removed,
                SessionStats sessions) {

    /** A node whose session figures are not shown. */
    NodeView(String nodeId, boolean up, boolean partitioned, RaftStatus status, boolean removed) {
        this(nodeId, up, partitioned, status, removed, null);
    }

    /** A node that was not removed. */
    NodeView(String nodeId, boolean up, boolean partitioned, RaftStatus status) {
        this(nodeId, up, partitioned, status, false);
    }
}
