package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;

/**
 * What the demo console knows about one node.
 *
 * @param nodeId the node
 * @param up whether the node is running (not killed)
 * @param partitioned whether its transport is paused both ways
 * @param status the node's status when up, {@code null} when down
 */
record NodeView(String nodeId, boolean up, boolean partitioned, RaftStatus status) {
}
