package io.raftbus.benchmarks.versus;

import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.model.message.AppendEntriesRequest;
import io.microraft.model.message.AppendEntriesSuccessResponse;
import io.microraft.model.message.RaftMessage;
import io.microraft.transport.Transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MicroRaft's {@link Transport} for nodes in one JVM: a message is handed by reference to the target's
 * {@link RaftNode#handle}, which queues it on the target's own executor (as raftbus's {@code InMemoryNetwork} hands a
 * message to the target's event loop). One instance serves every node of a cluster. With {@link HopStamps}, it stamps
 * the leader sending entries and a follower answering them.
 */
final class InJvmMicroRaftTransport implements Transport {

    private final Map<RaftEndpoint, RaftNode> nodes = new ConcurrentHashMap<>();
    private final HopStamps stamps;

    InJvmMicroRaftTransport() {
        this(null);
    }

    /** @param stamps null: none */
    InJvmMicroRaftTransport(HopStamps stamps) {
        this.stamps = stamps;
    }

    /** Makes {@code node} reachable at its local endpoint. */
    void register(RaftNode node) {
        nodes.put(node.getLocalEndpoint(), node);
    }

    /** Makes the node at {@code endpoint} unreachable; messages to it are dropped. */
    void unregister(RaftEndpoint endpoint) {
        nodes.remove(endpoint);
    }

    @Override
    public void send(RaftEndpoint target, RaftMessage message) {
        if (stamps != null) {
            stamp(message);
        }
        RaftNode node = nodes.get(target);
        if (node != null) {
            node.handle(message);
        }
    }

    @Override
    public boolean isReachable(RaftEndpoint endpoint) {
        return nodes.containsKey(endpoint);
    }

    private void stamp(RaftMessage message) {
        if (stamps.isLeader(message.getSender().getId().toString())) {
            if (message instanceof AppendEntriesRequest request && !request.getLogEntries().isEmpty()) {
                stamps.reached(HopStamps.Stage.LEADER_SENT_ENTRIES);
            }
        } else if (message instanceof AppendEntriesSuccessResponse) {
            stamps.reached(HopStamps.Stage.FOLLOWER_ANSWERED);
        }
    }
}
