package io.raftbus.kafka;

import io.raftbus.engine.spi.Membership;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who this endpoint takes for the cluster's members, and whether it is a node of the cluster itself: the configured
 * {@link KafkaTransportConfig#members()} until the node tells its configuration in force
 * ({@link KafkaTransport#membershipChanged}), then that configuration's voters and learners. An endpoint is a node
 * if its id is among the configured members or once it has been told a configuration (only a {@code RaftNode} tells
 * one, so a node started in join mode with the others' ids becomes a node); otherwise it is an external client.
 * Thread-safe: told on the node's event loop, read by the transport's threads.
 */
final class ClusterMembers {

    private final String localId;
    private final boolean configuredAsMember;
    private volatile Set<String> current;
    private volatile boolean told;

    ClusterMembers(String localId, Set<String> configured) {
        this.localId = Objects.requireNonNull(localId, "localId");
        this.current = Set.copyOf(configured);
        this.configuredAsMember = configured.contains(localId);
    }

    /** Takes the configuration in force; returns the members it names that the previous one did not. */
    Set<String> update(Membership membership) {
        Set<String> next = new HashSet<>(membership.voters());
        next.addAll(membership.learners());
        Set<String> added = new HashSet<>(next);
        added.removeAll(current);
        current = Set.copyOf(next);
        told = true;
        return added;
    }

    /** Whether {@code id} is a voter or learner of the configuration known here. */
    boolean isMember(String id) {
        return current.contains(id);
    }

    /** The voters and learners of the configuration known here. */
    Set<String> current() {
        return current;
    }

    /** Whether this endpoint is a node of the cluster (not an external client). */
    boolean localIsNode() {
        return configuredAsMember || told;
    }

    String localId() {
        return localId;
    }
}
